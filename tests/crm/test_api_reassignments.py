"""`/api/v1/reassignments/`: the head's queue, its decisions, who sees what, bad input."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Client, OwnershipChange, Reassignment
from crm.nightly import reassignment_flags_refresh
from crm.rules.stages import Stage
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, UserFactory

URL = "/api/v1/reassignments/"
RULE_DAY = date(2026, 4, 15)


def flag_for(owner, owned_since=date(2026, 1, 15)) -> Reassignment:
    client = ClientFactory(owner=owner, owned_since=owned_since)
    reassignment_flags_refresh(RULE_DAY)
    return Reassignment.objects.get(client=client)


def test_the_head_lists_pending_flags_with_the_facts_and_suggestions(head, manager, other_manager, teammate):
    flag = flag_for(manager)
    DealFactory(client=flag.client, stage=Stage.PROPOSAL, title="Камеры")
    ActivityFactory(client=flag.client, done_at=timezone.make_aware(timezone.datetime(2026, 3, 2, 10)))
    ActivityFactory(client=flag.client, done_at=timezone.make_aware(timezone.datetime(2025, 12, 2, 10)))
    response = api_as(head).get(URL, {"status": "pending"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["client"], row["owner"], row["owned_since"], row["flagged_on"]) == (
        flag.client_id,
        manager.pk,
        "2026-01-15",
        "2026-04-15",
    )
    assert row["activities_count"] == 1
    assert row["last_contact"].startswith("2026-03-02")
    assert [(d["title"], d["stage"]) for d in row["deals"]] == [("Камеры", "proposal")]
    assert {s["id"] for s in row["suggestions"]} == {other_manager.pk, teammate.pk}


def test_the_status_filter_keeps_only_that_status(head, manager):
    flag_for(manager)
    Reassignment.objects.update(status=Reassignment.Status.EXTENDED)
    assert api_as(head).get(URL, {"status": "pending"}).json()["count"] == 0
    assert api_as(head).get(URL, {"status": "extended"}).json()["count"] == 1
    response = api_as(head).get(URL, {"status": "nonsense"})
    assert response.status_code == 400
    assert "status" in field_errors(response)


def test_a_manager_sees_only_the_flags_on_his_own_clients_without_suggestions(manager, other_manager):
    mine = flag_for(manager)
    theirs = flag_for(other_manager, owned_since=date(2026, 1, 10))
    response = api_as(manager).get(URL)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert "suggestions" not in response.json()["results"][0]
    assert api_as(manager).get(f"{URL}{theirs.pk}/").status_code == 404


def test_a_team_lead_sees_his_teams_flags(team_lead, manager, other_manager):
    mine = flag_for(manager)
    flag_for(other_manager, owned_since=date(2026, 1, 10))
    assert [row["id"] for row in api_as(team_lead).get(URL).json()["results"]] == [mine.pk]


@pytest.mark.parametrize("who", ["vip_head", "base_manager", "service_owner"])
def test_roles_outside_sales_see_no_flags(request, who, manager):
    flag = flag_for(manager)
    user = request.getfixturevalue(who)
    assert api_as(user).get(URL).json()["count"] == 0
    assert api_as(user).get(f"{URL}{flag.pk}/").status_code == 404


def test_a_manager_may_not_decide_on_his_own_flag(manager, other_manager):
    flag = flag_for(manager)
    client = api_as(manager)
    response = client.post(f"{URL}{flag.pk}/reassign/", {"owner": other_manager.pk, "reason": "x"}, format="json")
    assert response.status_code == 403
    assert client.post(f"{URL}{flag.pk}/extend/", {"reason": "x"}, format="json").status_code == 403
    flag.refresh_from_db()
    assert flag.status == Reassignment.Status.PENDING


def test_a_manager_gets_404_on_another_managers_flag(manager, other_manager):
    flag = flag_for(other_manager)
    response = api_as(manager).post(f"{URL}{flag.pk}/extend/", {"reason": "x"}, format="json")
    assert response.status_code == 404


def test_the_head_reassigns_through_the_api(head, manager, other_manager):
    flag = flag_for(manager)
    response = api_as(head).post(
        f"{URL}{flag.pk}/reassign/", {"owner": other_manager.pk, "reason": "Нет сделки"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["new_owner"]) == ("reassigned", other_manager.pk)
    assert Client.objects.get(pk=flag.client_id).owner == other_manager
    assert OwnershipChange.objects.filter(
        client_id=flag.client_id, to_owner=other_manager, reason="Нет сделки"
    ).exists()


def test_the_head_extends_through_the_api_once(head, manager):
    flag = flag_for(manager)
    client = api_as(head)
    response = client.post(f"{URL}{flag.pk}/extend/", {"reason": "Тендер"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "extended"
    assert response.json()["extended_until"] is not None
    Reassignment.objects.filter(pk=flag.pk).update(status=Reassignment.Status.PENDING)
    again = client.post(f"{URL}{flag.pk}/extend/", {"reason": "Ещё"}, format="json")
    assert again.status_code == 400
    assert "non_field_errors" in field_errors(again)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"reason": "x"}, "owner"),
        ({"owner": 999999, "reason": "x"}, "owner"),
        ({"owner": "abc", "reason": "x"}, "owner"),
        ({"owner": "OTHER"}, "reason"),
        ({"owner": "OTHER", "reason": "   "}, "reason"),
        ({"owner": "OTHER", "reason": "x" * 501}, "reason"),
        ({"owner": "SELF", "reason": "x"}, "owner"),
        ({"owner": "HEAD", "reason": "x"}, "owner"),
    ],
)
def test_bad_reassign_input_answers_400_with_the_field(head, manager, other_manager, payload, field):
    flag = flag_for(manager)
    people = {"OTHER": other_manager.pk, "SELF": manager.pk, "HEAD": head.pk}
    payload = {k: people.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    response = api_as(head).post(f"{URL}{flag.pk}/reassign/", payload, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)
    assert Client.objects.get(pk=flag.client_id).owner == manager


def test_the_manager_who_lost_the_client_is_refused_with_400(head, manager, other_manager):
    flag = flag_for(manager)
    api_as(head).post(f"{URL}{flag.pk}/reassign/", {"owner": other_manager.pk, "reason": "x"}, format="json")
    reassignment_flags_refresh(timezone.localdate() + timedelta(days=100))
    second = Reassignment.objects.get(status=Reassignment.Status.PENDING)
    response = api_as(head).post(f"{URL}{second.pk}/reassign/", {"owner": manager.pk, "reason": "x"}, format="json")
    assert response.status_code == 400
    assert "owner" in field_errors(response)
    listed = api_as(head).get(f"{URL}{second.pk}/").json()
    assert manager.pk not in {s["id"] for s in listed["suggestions"]}


def test_the_queue_list_makes_the_same_number_of_queries_for_3_and_30_flags(head, team):
    owners = [UserFactory(team=team) for _ in range(3)]

    def make(n: int) -> None:
        for i in range(n):
            client = ClientFactory(owner=owners[i % 3], owned_since=date(2026, 1, 1))
            DealFactory(client=client)
            ActivityFactory(client=client)
        reassignment_flags_refresh(RULE_DAY)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_as(head).get(URL, {"status": "pending"}).status_code == 200
        return len(queries)

    make(3)
    few = count()
    make(27)
    assert Reassignment.objects.count() == 30
    assert count() == few
