"""Two clients with one INN created at the same instant: one is created, the other gets the 400 of a sequential
duplicate, never an IntegrityError (issue 10). Real PostgreSQL: each thread has its own connection."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from core.names import genitive
from crm.models import Client
from crm.services.clients import client_create, duplicate_inn
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import KNOWN_GOOD_INNS

INN = KNOWN_GOOD_INNS[3]
TIMEOUT = 20


def run_at_once(*calls):
    """Each call in its own thread, released together; the results (or the exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = call()
        except Exception as exc:  # the result under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_a_sequential_duplicate_inn_is_a_400_under_inn(db, manager):
    api = api_as(manager)
    first = api.post("/api/v1/clients/", {"name": "Первый", "inn": INN}, format="json")
    second = api.post("/api/v1/clients/", {"name": "Второй", "inn": INN}, format="json")

    assert (first.status_code, second.status_code) == (201, 400)
    assert list(field_errors(second)) == ["inn"]


def test_two_api_creates_of_one_inn_at_once_give_one_201_and_the_sequential_400(transactional_db, manager, teammate):
    sequential = api_as(manager).post("/api/v1/clients/", {"name": "Раньше", "inn": KNOWN_GOOD_INNS[4]}, format="json")
    sequential_again = api_as(manager).post(
        "/api/v1/clients/", {"name": "Снова", "inn": KNOWN_GOOD_INNS[4]}, format="json"
    )
    assert sequential.status_code == 201

    for _round in range(5):
        inn_clients = Client.objects.filter(inn=INN)
        inn_clients.delete()
        results = run_at_once(
            lambda: api_as(manager).post("/api/v1/clients/", {"name": "А", "inn": INN}, format="json"),
            lambda: api_as(teammate).post("/api/v1/clients/", {"name": "Б", "inn": INN}, format="json"),
        )

        statuses = sorted(r.status_code for r in results)  # type: ignore[attr-defined]
        assert statuses == [201, 400], [getattr(r, "content", r) for r in results]
        refused = next(r for r in results if r.status_code == 400)  # type: ignore[attr-defined]
        winner = Client.objects.select_related("owner").get(inn=INN)
        # The sequential duplicate's answer: whose client the INN already is (the winner's manager), under `inn`.
        assert list(field_errors(refused)) == list(field_errors(sequential_again)) == ["inn"]
        assert field_errors(refused)["inn"] == duplicate_inn(winner).messages
        with translation.override("ru"):  # the API answers in Russian unless asked otherwise
            assert genitive(winner.owner) in field_errors(refused)["inn"][0]  # «уже клиент у Софии Терентьевой»


@pytest.mark.django_db(transaction=True)
def test_an_insert_that_loses_the_race_after_the_check_answers_like_the_check(manager, teammate):
    """The other transaction holds the INN uncommitted while `client_create` checks (and finds nothing), then
    commits while it inserts: PostgreSQL's unique index refuses, the service answers as the check would."""
    holding, release = threading.Event(), threading.Event()

    def hold_the_inn():
        try:
            with transaction.atomic():
                Client.objects.create(name="Раньше", inn=INN, normalized_name="раньше")
                holding.set()
                assert release.wait(timeout=TIMEOUT)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_inn)
    holder.start()
    assert holding.wait(timeout=TIMEOUT)
    timer = threading.Timer(0.5, release.set)  # commit while client_create waits on the index
    timer.start()
    try:
        with pytest.raises(ValidationError) as exc:
            client_create(by=teammate, data={"name": "Позже", "inn": INN})
    finally:
        release.set()
        holder.join(timeout=TIMEOUT)
        timer.cancel()

    assert exc.value.message_dict == duplicate_inn(Client.objects.get(inn=INN)).message_dict
    assert list(Client.objects.filter(inn=INN).values_list("name", flat=True)) == ["Раньше"]
