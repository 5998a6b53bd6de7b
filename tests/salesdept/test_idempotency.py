"""Idempotency-Key on the API's POSTs (salesdept/idempotency.py): a repeat gets the first answer, never a second row."""

import hashlib
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from crm.models import Activity
from salesdept.idempotency import idempotency_records_expire, idempotency_records_purge
from salesdept.models import IdempotencyRecord
from salesdept.nightly import NIGHTLY_JOBS
from tests.api_errors import error_codes, field_errors
from tests.crm.factories import ClientFactory

URL = "/api/v1/activities/"


def session_as(user) -> APIClient:
    """Logged in through the session, as the browser is (force_authenticate would bypass the middleware's user)."""
    client = APIClient()
    client.force_login(user)
    return client


def jwt_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def task_body(client_id: int, subject: str = "Перезвонить") -> dict:
    return {"kind": "task", "client": client_id, "subject": subject, "due_at": "2030-11-25T10:00:00+03:00"}


def post(api: APIClient, body: dict, key: str, url: str = URL):
    return api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_repeat_replays_the_first_answer_and_creates_one_row(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)

    first = post(api, task_body(client.pk), "k-1")
    again = post(api, task_body(client.pk), "k-1")

    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Activity.objects.count() == 1


def test_without_a_key_each_post_creates(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)

    api.post(URL, task_body(client.pk), format="json")
    api.post(URL, task_body(client.pk), format="json")

    assert Activity.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_the_same_key_with_another_body_or_path_is_422_and_creates_nothing(manager):
    client = ClientFactory(owner=manager)
    api = session_as(manager)
    post(api, task_body(client.pk), "k-2")

    other_body = post(api, task_body(client.pk, subject="Другое"), "k-2")
    other_path = post(api, task_body(client.pk), "k-2", url="/api/v1/clients/")

    assert (other_body.status_code, other_path.status_code) == (422, 422)
    assert error_codes(other_body) == {"non_field_errors": ["idempotency_key_reused"]}
    assert "Idempotency-Key" in field_errors(other_body)["non_field_errors"][0]
    assert Activity.objects.count() == 1


def test_a_repeat_while_the_first_is_in_flight_is_409(manager):
    client = ClientFactory(owner=manager)
    body = task_body(client.pk)
    api = jwt_as(manager)
    # The first request has claimed the key and not answered yet.
    raw = JSONRenderer().render(body)
    IdempotencyRecord.objects.create(
        user=manager,
        key="k-3",
        method="POST",
        path=URL,
        body_sha256=hashlib.sha256(raw).hexdigest(),
        created_at=timezone.now(),
    )

    response = post(api, body, "k-3")

    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert error_codes(response) == {"non_field_errors": ["idempotency_key_in_flight"]}
    assert not Activity.objects.exists()


def test_a_request_in_flight_for_longer_than_the_limit_is_taken_for_dead(manager, settings):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    body = task_body(client.pk)
    raw = JSONRenderer().render(body)
    IdempotencyRecord.objects.create(
        user=manager,
        key="k-dead",
        method="POST",
        path=URL,
        body_sha256=hashlib.sha256(raw).hexdigest(),
        created_at=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS + 1),
    )

    response = post(api, body, "k-dead")

    assert response.status_code == 201
    assert Activity.objects.count() == 1
    assert IdempotencyRecord.objects.get(key="k-dead").status_code == 201


def test_keys_are_scoped_per_user(manager, other_manager):
    own, others = ClientFactory(owner=manager), ClientFactory(owner=other_manager)

    mine = post(jwt_as(manager), task_body(own.pk), "shared")
    theirs = post(session_as(other_manager), task_body(others.pk), "shared")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert not theirs.has_header("Idempotent-Replayed")
    assert sorted(Activity.objects.values_list("owner__username", flat=True)) == ["ivanov", "petrov"]


def test_a_4xx_is_stored_and_replayed(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    body = {"kind": "task", "client": client.pk, "subject": "Без срока"}

    first = post(api, body, "k-4")
    again = post(api, body, "k-4")

    assert first.status_code == 400
    assert "due_at" in field_errors(first)
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (400, first.content, "true")


def test_a_5xx_is_not_stored_so_a_retry_may_succeed(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    api.raise_request_exception = False

    with mock.patch("crm.api.views.activities.activity_create", side_effect=RuntimeError("database went away")):
        failed = post(api, task_body(client.pk), "k-5")
    retried = post(api, task_body(client.pk), "k-5")

    assert failed.status_code == 500
    assert retried.status_code == 201
    assert not retried.has_header("Idempotent-Replayed")
    assert Activity.objects.count() == 1


def test_an_unauthenticated_answer_is_not_stored(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    api.credentials(HTTP_AUTHORIZATION="Bearer expired-or-bad")

    refused = post(api, task_body(client.pk), "k-6")
    retried = post(jwt_as(manager), task_body(client.pk), "k-6")

    assert refused.status_code == 401
    assert retried.status_code == 201
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("key", ["x" * 256, "", "два слова", "a b"])
def test_a_key_too_long_empty_or_not_printable_ascii_is_400(manager, key):
    client = ClientFactory(owner=manager)

    response = post(jwt_as(manager), task_body(client.pk), key)

    assert response.status_code == 400
    assert "Idempotency-Key" in field_errors(response)
    assert not Activity.objects.exists()


def test_a_key_of_255_characters_is_accepted(manager):
    client = ClientFactory(owner=manager)

    response = post(jwt_as(manager), task_body(client.pk), "k" * 255)

    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().key == "k" * 255


def test_actions_are_covered_too_a_repeated_complete_replays(manager):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    task = post(api, task_body(client.pk), "create").json()
    url = f"{URL}{task['id']}/complete/"

    first = post(api, {"note": "Сделано"}, "complete", url=url)
    again = post(api, {"note": "Сделано"}, "complete", url=url)

    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (200, 200, "true")
    assert Activity.objects.get().note == "Сделано"


def test_after_the_window_the_key_is_forgotten_and_the_request_runs_again(manager, settings):
    client = ClientFactory(owner=manager)
    api = jwt_as(manager)
    post(api, task_body(client.pk), "k-7")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_WINDOW_HOURS + 1))

    again = post(api, task_body(client.pk), "k-7")

    assert again.status_code == 201
    assert not again.has_header("Idempotent-Replayed")
    assert Activity.objects.count() == 2


def test_the_purge_forgets_keys_older_than_the_window_before_now(manager):
    now = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.get_current_timezone())
    for key, age in [("old", timedelta(hours=24, seconds=1)), ("fresh", timedelta(hours=23, minutes=59))]:
        IdempotencyRecord.objects.create(
            user=manager, key=key, method="POST", path=URL, body_sha256="0" * 64, status_code=201, created_at=now - age
        )

    deleted = idempotency_records_purge(now=now)

    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_nightly_job_purges_from_the_start_of_its_day(manager):
    start = datetime(2026, 12, 2, 0, 0, tzinfo=timezone.get_current_timezone())
    for key, age in [("old", timedelta(hours=25)), ("kept", timedelta(hours=23))]:
        IdempotencyRecord.objects.create(
            user=manager,
            key=key,
            method="POST",
            path=URL,
            body_sha256="0" * 64,
            status_code=201,
            created_at=start - age,
        )

    counts = idempotency_records_expire(date(2026, 12, 2))

    assert counts == {"deleted": 1}
    assert "idempotency_records_expire" in [job.name for job in NIGHTLY_JOBS]
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["kept"]
