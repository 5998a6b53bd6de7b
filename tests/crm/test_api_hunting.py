"""The API of the long lists and cold-call norms: visibility, PATCH with 400s, head-only writes, sync, queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import ColdCallNorm, LongList, LongListEntry
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory

pytestmark = pytest.mark.django_db

MONTH = date(2026, 12, 1)


def make_list(owner, n=3, month=MONTH):
    long_list = LongList.objects.create(owner=owner, month=month)
    for i in range(n):
        client = ClientFactory(owner=owner, name=f"Компания {i:02d}")
        LongListEntry.objects.create(long_list=long_list, client=client, reason="never_bought", rank=i + 1)
    return long_list


def test_a_manager_lists_only_his_own_long_lists_with_entries(manager, other_manager):
    own = make_list(manager, 2)
    make_list(other_manager, 1)
    first = own.entries.order_by("rank").first()
    ActivityFactory(client=first.client, owner=manager, direction="out", done_at=datetime(2026, 12, 2, 9, tzinfo=UTC))

    response = api_as(manager).get("/api/v1/long-lists/")

    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [own.pk]
    rows = response.data["results"][0]["entries"]
    assert [row["client_name"] for row in rows] == ["Компания 00", "Компания 01"]
    assert rows[0]["first_call_at"] is not None and rows[1]["first_call_at"] is None


def test_another_managers_list_and_entry_answer_404(manager, other_manager):
    foreign = make_list(other_manager, 1)
    entry = foreign.entries.get()
    api = api_as(manager)

    assert api.get(f"/api/v1/long-lists/{foreign.pk}/").status_code == 404
    assert api.patch(f"/api/v1/long-list-entries/{entry.pk}/", {"needs": "x"}, format="json").status_code == 404
    entry.refresh_from_db()
    assert entry.needs == ""


def test_the_head_and_the_team_lead_see_the_lists_they_oversee(head, team_lead, manager, other_manager):
    own = make_list(manager, 1)
    foreign = make_list(other_manager, 1)

    assert {r["id"] for r in api_as(head).get("/api/v1/long-lists/").data["results"]} == {own.pk, foreign.pk}
    assert {r["id"] for r in api_as(team_lead).get("/api/v1/long-lists/").data["results"]} == {own.pk}


def test_patch_moves_an_entry_to_the_short_list_and_marks_the_threshold(manager):
    entry = make_list(manager, 1).entries.get()

    response = api_as(manager).patch(
        f"/api/v1/long-list-entries/{entry.pk}/",
        {"short_listed": True, "needs": "Опт", "objections": "Цена", "potential_monthly": "59999.00"},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["short_listed"] is True and response.data["interested"] is True
    assert response.data["not_worth"] is True and response.data["potential_monthly"] == "59999.00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"potential_monthly": "-1"}, "potential_monthly"),
        ({"potential_monthly": "много"}, "potential_monthly"),
        ({"interested": False, "short_listed": True}, "short_listed"),
        ({"short_listed": "может быть"}, "short_listed"),
    ],
)
def test_bad_input_answers_400_with_field_errors(manager, payload, field):
    entry = make_list(manager, 1).entries.get()

    response = api_as(manager).patch(f"/api/v1/long-list-entries/{entry.pk}/", payload, format="json")

    assert response.status_code == 400
    assert field in field_errors(response)


def test_entries_cannot_be_created_or_deleted(manager):
    entry = make_list(manager, 1).entries.get()
    api = api_as(manager)

    assert api.post("/api/v1/long-list-entries/", {}, format="json").status_code == 405
    assert api.delete(f"/api/v1/long-list-entries/{entry.pk}/").status_code == 405


def test_updated_since_returns_only_entries_changed_since(manager):
    long_list = make_list(manager, 2)
    changed = long_list.entries.order_by("rank").last()
    moment = timezone.now() + timedelta(seconds=1)
    LongListEntry.objects.filter(pk=changed.pk).update(updated_at=moment + timedelta(seconds=1))

    response = api_as(manager).get("/api/v1/long-list-entries/", {"updated_since": moment.isoformat()})

    assert [row["id"] for row in response.data["results"]] == [changed.pk]
    assert api_as(manager).get("/api/v1/long-lists/", {"updated_since": "вчера"}).status_code == 400


def test_the_head_sets_a_norm_and_the_manager_reads_only_his_own(head, manager, other_manager):
    response = api_as(head).post("/api/v1/cold-call-norms/", {"manager": manager.pk, "daily_calls": 40}, format="json")
    assert response.status_code == 201 and response.data["daily_calls"] == 40
    again = api_as(head).post("/api/v1/cold-call-norms/", {"manager": manager.pk, "daily_calls": 45}, format="json")
    assert again.status_code == 201
    assert ColdCallNorm.objects.get(manager=manager).daily_calls == 45
    ColdCallNorm.objects.create(manager=other_manager, daily_calls=10)

    rows = api_as(manager).get("/api/v1/cold-call-norms/").data["results"]

    assert [(r["manager"], r["daily_calls"]) for r in rows] == [(manager.pk, 45)]


def test_the_head_changes_a_norm_but_not_whose_it_is(head, manager, teammate):
    norm = ColdCallNorm.objects.create(manager=manager, daily_calls=10)
    api = api_as(head)

    assert api.patch(f"/api/v1/cold-call-norms/{norm.pk}/", {"daily_calls": 20}, format="json").status_code == 200
    moved = api.patch(f"/api/v1/cold-call-norms/{norm.pk}/", {"manager": teammate.pk}, format="json")

    assert moved.status_code == 400 and "manager" in field_errors(moved)
    norm.refresh_from_db()
    assert (norm.manager, norm.daily_calls) == (manager, 20)
    assert not ColdCallNorm.objects.filter(manager=teammate).exists()


def test_a_manager_may_not_set_norms(manager):
    response = api_as(manager).post(
        "/api/v1/cold-call-norms/", {"manager": manager.pk, "daily_calls": 1}, format="json"
    )

    assert response.status_code == 403
    assert not ColdCallNorm.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"), [({"daily_calls": 1001}, "daily_calls"), ({"daily_calls": -1}, "daily_calls")]
)
def test_a_bad_norm_answers_400(head, manager, payload, field):
    response = api_as(head).post("/api/v1/cold-call-norms/", {"manager": manager.pk, **payload}, format="json")

    assert response.status_code == 400 and field in field_errors(response)


def test_a_norm_for_someone_who_does_not_sell_answers_400(head, vip_head):
    response = api_as(head).post("/api/v1/cold-call-norms/", {"manager": vip_head.pk, "daily_calls": 5}, format="json")

    assert response.status_code == 400 and "manager" in field_errors(response)


def count(api, url):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/api/v1/long-lists/", "/api/v1/long-list-entries/"])
def test_the_api_runs_the_same_queries_for_3_and_30_entries(manager, url):
    long_list = make_list(manager, 3)
    api = api_as(manager)
    few = count(api, url)
    for i in range(3, 30):
        LongListEntry.objects.create(
            long_list=long_list, client=ClientFactory(owner=manager), reason="never_bought", rank=i + 1
        )
    make_list(manager, 5, month=date(2026, 11, 1))

    assert count(api, url) == few
