"""Safe retries of a phone that lost an answer: client UUIDs on creates, the atomic log-call, a repeated move, a
repeated refresh (docs/api.md, "Safe retries")."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from crm.models import Activity, Client, ContactPerson, Deal, DealStageChange
from crm.rules.stages import Stage
from crm.services.auth import refresh_token_rotate
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory

NEXT_DUE = "2030-11-25T10:00:00+03:00"


def bodies(client: Client) -> dict[str, tuple[str, type, dict]]:
    """Per resource: its URL, model and a valid create body on `client`."""
    return {
        "client": ("/api/v1/clients/", Client, {"name": "ООО Ромашка"}),
        "contact": ("/api/v1/contacts/", ContactPerson, {"client": client.pk, "full_name": "Иванов Иван"}),
        "deal": ("/api/v1/deals/", Deal, {"client": client.pk, "title": "Видеонаблюдение"}),
        "activity": (
            "/api/v1/activities/",
            Activity,
            {"kind": "task", "client": client.pk, "subject": "Перезвонить", "due_at": NEXT_DUE},
        ),
    }


RESOURCES = ["client", "contact", "deal", "activity"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_create_sent_twice_with_its_uuid_makes_one_row_and_answers_it(manager, resource):
    url, model, body = bodies(ClientFactory(owner=manager))[resource]
    key = uuid.uuid4()
    api = api_as(manager)
    before = model.objects.count()

    first = api.post(url, {**body, "uuid": str(key)}, format="json")
    again = api.post(url, {**body, "uuid": str(key)}, format="json")

    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert first.json()["uuid"] == again.json()["uuid"] == str(key)
    assert again.json()["id"] == first.json()["id"]
    assert again["ETag"] == first["ETag"]
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_repeated_create_changes_nothing_even_with_other_fields(manager, resource):
    url, model, body = bodies(ClientFactory(owner=manager))[resource]
    key = str(uuid.uuid4())
    api = api_as(manager)
    created = api.post(url, {**body, "uuid": key}, format="json").json()
    revision = model.objects.get(pk=created["id"]).revision

    api.post(url, {**body, "uuid": key, "note": "другое", "title": "другое", "name": "другое"}, format="json")

    assert model.objects.get(pk=created["id"]).revision == revision


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_uuid_taken_by_a_row_the_user_does_not_see_is_409_and_says_nothing_of_it(manager, other_manager, resource):
    others = ClientFactory(owner=other_manager)
    hidden = {
        "client": others,
        "contact": ContactFactory(client=others),
        "deal": DealFactory(client=others),
        "activity": ActivityFactory(client=others),
    }[resource]
    url, model, body = bodies(ClientFactory(owner=manager))[resource]
    before = model.objects.count()

    response = api_as(manager).post(url, {**body, "uuid": str(hidden.uuid)}, format="json")

    assert response.status_code == 409
    assert "UUID" in field_errors(response)["non_field_errors"][0]
    assert str(hidden.pk) not in response.content.decode()
    assert model.objects.count() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_without_a_uuid_the_server_gives_one(manager, resource):
    url, model, body = bodies(ClientFactory(owner=manager))[resource]

    created = api_as(manager).post(url, body, format="json")

    assert created.status_code == 201
    assert uuid.UUID(created.json()["uuid"]) == model.objects.get(pk=created.json()["id"]).uuid


def test_a_bad_uuid_is_400_on_the_field(manager):
    url, _model, body = bodies(ClientFactory(owner=manager))["activity"]

    response = api_as(manager).post(url, {**body, "uuid": "not-a-uuid"}, format="json")

    assert response.status_code == 400
    assert "uuid" in field_errors(response)


def test_an_update_cannot_change_the_uuid(manager):
    activity = ActivityFactory(client=ClientFactory(owner=manager))
    kept = activity.uuid

    response = api_as(manager).patch(
        f"/api/v1/activities/{activity.pk}/", {"uuid": str(uuid.uuid4()), "subject": "Новое"}, format="json"
    )

    activity.refresh_from_db()
    assert response.status_code == 200
    assert (activity.uuid, activity.subject) == (kept, "Новое")


def test_every_existing_row_got_its_own_uuid_and_lists_show_it(manager):
    client = ClientFactory(owner=manager)
    ActivityFactory.create_batch(3, client=client)

    rows = api_as(manager).get("/api/v1/activities/").json()["results"]

    assert len({row["uuid"] for row in rows}) == 3
    assert all(uuid.UUID(row["uuid"]) for row in rows)


# The atomic log-call.


def log_call_body(client: Client, **extra) -> dict:
    return {
        "client": client.pk,
        "direction": "out",
        "call_result": "reached",
        "duration_minutes": 5,
        "note": "Интересуются камерами",
        "next_subject": "Отправить КП",
        "next_due_at": NEXT_DUE,
        **extra,
    }


def test_log_call_saves_the_call_and_the_next_task_together(manager):
    client = ClientFactory(owner=manager)

    response = api_as(manager).post("/api/v1/activities/log-call/", log_call_body(client), format="json")

    assert response.status_code == 201, response.content
    call, task = response.json()["call"], response.json()["next_task"]
    assert (call["kind"], call["call_result"], call["duration_seconds"], call["is_done"]) == (
        "call",
        "reached",
        300,
        True,
    )
    assert (task["kind"], task["subject"], task["is_done"]) == ("task", "Отправить КП", False)
    assert Activity.objects.count() == 2


def test_log_call_sent_twice_with_its_uuids_makes_one_call_and_one_task(manager):
    client = ClientFactory(owner=manager)
    body = log_call_body(client, uuid=str(uuid.uuid4()), next_uuid=str(uuid.uuid4()))
    api = api_as(manager)

    first = api.post("/api/v1/activities/log-call/", body, format="json")
    again = api.post("/api/v1/activities/log-call/", body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Activity.objects.filter(kind="call").count() == 1
    assert Activity.objects.filter(kind="task").count() == 1


def test_log_call_with_an_idempotency_key_too_replays_the_first_answer(manager):
    client = ClientFactory(owner=manager)
    body = log_call_body(client, uuid=str(uuid.uuid4()), next_uuid=str(uuid.uuid4()))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(manager).access_token}")

    first = api.post("/api/v1/activities/log-call/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    again = api.post("/api/v1/activities/log-call/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")

    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.content == first.content
    assert Activity.objects.count() == 2


def test_a_bad_next_task_saves_no_call(manager):
    client = ClientFactory(owner=manager)
    past = (timezone.now() - timedelta(days=1)).isoformat()

    response = api_as(manager).post(
        "/api/v1/activities/log-call/", log_call_body(client, next_due_at=past), format="json"
    )

    assert response.status_code == 400
    assert "next_due_at" in field_errors(response)
    assert not Activity.objects.exists()


def test_a_next_task_that_fails_while_saving_takes_the_call_with_it(manager):
    """The second row fails after the first was written (its UUID is taken): the call is rolled back too."""
    client = ClientFactory(owner=manager)
    taken = ActivityFactory(client=client, kind="task", due_at=timezone.now(), done_at=None)
    body = log_call_body(client, uuid=str(uuid.uuid4()), next_uuid=str(taken.uuid))

    response = api_as(manager).post("/api/v1/activities/log-call/", body, format="json")

    assert response.status_code == 409
    assert list(Activity.objects.all()) == [taken]


def test_log_call_completes_the_task_it_was_made_for(manager):
    client = ClientFactory(owner=manager)
    planned = ActivityFactory(client=client, kind="task", due_at=timezone.now(), done_at=None)

    response = api_as(manager).post(
        "/api/v1/activities/log-call/", log_call_body(client, task=planned.pk), format="json"
    )

    planned.refresh_from_db()
    assert response.status_code == 201
    assert planned.done_at is not None


def test_log_call_on_a_client_not_seen_is_400_and_saves_nothing(manager, other_manager):
    others = ClientFactory(owner=other_manager)

    response = api_as(manager).post("/api/v1/activities/log-call/", log_call_body(others), format="json")

    assert response.status_code == 400
    assert "client" in field_errors(response)
    assert not Activity.objects.exists()


def test_log_call_with_an_end_in_the_future_is_400(manager):
    client = ClientFactory(owner=manager)
    later = (timezone.now() + timedelta(hours=1)).isoformat()

    response = api_as(manager).post("/api/v1/activities/log-call/", log_call_body(client, done_at=later), format="json")

    assert response.status_code == 400
    assert "done_at" in field_errors(response)


def test_an_offline_call_keeps_when_it_ended(manager):
    client = ClientFactory(owner=manager)
    ended = timezone.now() - timedelta(hours=3)

    response = api_as(manager).post(
        "/api/v1/activities/log-call/", log_call_body(client, done_at=ended.isoformat()), format="json"
    )

    assert response.status_code == 201
    assert Activity.objects.get(kind="call").done_at == ended


# A repeated move.


def test_a_repeated_move_to_the_current_stage_answers_200_with_the_deal_unchanged(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.MARKET)
    revision = deal.revision
    changes = DealStageChange.objects.filter(deal=deal).count()

    response = api_as(manager).post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": "market", "plan_month": "2030-11-01"}, format="json"
    )

    deal.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "market"
    assert response["ETag"] == f'"{revision}"'
    assert (deal.revision, deal.plan_month) == (revision, None)
    assert DealStageChange.objects.filter(deal=deal).count() == changes


def test_a_move_of_a_deal_not_seen_is_still_404(manager, other_manager):
    deal = DealFactory(client=ClientFactory(owner=other_manager), stage=Stage.MARKET)

    response = api_as(manager).post(f"/api/v1/deals/{deal.pk}/move/", {"stage": "market"}, format="json")

    assert response.status_code == 404


# A repeated refresh.

REFRESH = "/api/v1/auth/token/refresh/"


def test_a_refresh_sent_again_within_the_grace_gets_the_same_new_pair(manager):
    api = APIClient()
    old = str(RefreshToken.for_user(manager))

    first = api.post(REFRESH, {"refresh": old}, format="json")
    again = api.post(REFRESH, {"refresh": old}, format="json")
    onwards = api.post(REFRESH, {"refresh": first.json()["refresh"]}, format="json")

    assert (first.status_code, again.status_code, onwards.status_code) == (200, 200, 200)
    assert again.json() == first.json()
    assert first.json()["refresh"] != old


def test_after_the_grace_the_rotated_token_is_refused(manager, settings):
    old = str(RefreshToken.for_user(manager))
    now = timezone.now()
    refresh_token_rotate(refresh=old, now=now)

    within = refresh_token_rotate(refresh=old, now=now + timedelta(seconds=settings.JWT_REFRESH_GRACE_SECONDS))
    with pytest.raises(TokenError):
        refresh_token_rotate(refresh=old, now=now + timedelta(seconds=settings.JWT_REFRESH_GRACE_SECONDS + 1))
    assert set(within) == {"access", "refresh"}


def test_with_no_grace_a_rotated_token_is_refused_at_once(manager, settings):
    settings.JWT_REFRESH_GRACE_SECONDS = 0
    api = APIClient()
    old = str(RefreshToken.for_user(manager))

    api.post(REFRESH, {"refresh": old}, format="json")
    again = api.post(REFRESH, {"refresh": old}, format="json")

    assert again.status_code == 401


def test_the_grace_ends_when_the_new_token_is_logged_out(manager):
    api = APIClient()
    old = str(RefreshToken.for_user(manager))
    first = api.post(REFRESH, {"refresh": old}, format="json").json()

    api.post("/api/v1/auth/logout/", {"refresh": first["refresh"]}, format="json")
    again = api.post(REFRESH, {"refresh": old}, format="json")

    assert again.status_code == 401


def test_the_grace_ends_when_the_user_is_deactivated(manager):
    api = APIClient()
    old = str(RefreshToken.for_user(manager))
    api.post(REFRESH, {"refresh": old}, format="json")
    manager.is_active = False
    manager.save()

    again = api.post(REFRESH, {"refresh": old}, format="json")

    assert again.status_code == 401
