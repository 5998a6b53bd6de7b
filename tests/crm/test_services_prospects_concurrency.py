"""Two managers claim the same prospect at the same moment: exactly one gets it, the other is told who did.

Real PostgreSQL concurrency: each thread has its own database connection and its own transaction."""

import threading
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection

from crm.models import Client, OwnershipChange, ProspectEntry
from crm.models.validators import normalize_name
from crm.services import prospects
from crm.services.prospects import prospect_claim, prospect_entry_add, prospect_list_create
from tests.crm.factories import ClientFactory, make_inn


def claim_at_once(entries_and_managers):
    """Run every claim in its own thread, released together by a barrier; (manager, client or error) each."""
    barrier = threading.Barrier(len(entries_and_managers))
    results = {}

    def claim(entry, manager):
        try:
            barrier.wait(timeout=10)
            results[manager.pk] = prospect_claim(entry=entry, by=manager, today=date(2026, 6, 15))
        except ValidationError as exc:
            results[manager.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=pair) for pair in entries_and_managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def two_lists_with(company, manager, other_manager):
    mine = prospect_list_create(by=manager, name="Мой")
    theirs = prospect_list_create(by=other_manager, name="Их")
    first = prospect_entry_add(prospect_list=mine, by=manager, data=company)
    second = prospect_entry_add(prospect_list=theirs, by=other_manager, data=company)
    assert first.check_result == second.check_result == ProspectEntry.Check.FREE
    return first, second


def winner_and_loser(results, manager, other_manager):
    clients = [r for r in results.values() if isinstance(r, Client)]
    errors = [r for r in results.values() if isinstance(r, ValidationError)]
    assert (len(clients), len(errors)) == (1, 1), results
    winner = manager if isinstance(results[manager.pk], Client) else other_manager
    return winner, errors[0]


def test_two_managers_claiming_the_same_unowned_client_at_once_exactly_one_gets_it(
    transactional_db, manager, other_manager, base_manager
):
    client = ClientFactory(
        name="ООО Ничья", normalized_name=normalize_name("ООО Ничья"), inn=make_inn(1), owner=None, owned_since=None
    )
    first, second = two_lists_with({"name": "Ничья", "inn": make_inn(1)}, manager, other_manager)

    results = claim_at_once([(first, manager), (second, other_manager)])

    winner, error = winner_and_loser(results, manager, other_manager)
    client.refresh_from_db()
    assert client.owner == winner
    assert str(winner) in " ".join(error.messages)
    assert OwnershipChange.objects.filter(client=client).count() == 1
    assert OwnershipChange.objects.get(client=client).to_owner == winner


def test_two_managers_claiming_the_same_new_company_at_once_create_one_client(transactional_db, manager, other_manager):
    company = {"name": "ООО Новая", "inn": make_inn(2), "phone": "+74951110000"}
    first, second = two_lists_with(company, manager, other_manager)

    results = claim_at_once([(first, manager), (second, other_manager)])

    winner, error = winner_and_loser(results, manager, other_manager)
    client = Client.objects.get(inn=make_inn(2))
    assert client.owner == winner
    assert str(winner) in " ".join(error.messages)
    assert OwnershipChange.objects.filter(client=client).count() == 1


def test_when_both_claims_pass_the_recheck_the_conditional_update_lets_exactly_one_win(
    transactional_db, manager, other_manager, monkeypatch
):
    """Both threads re-check the base before either writes (a barrier after the re-check, no advisory locks):
    both see the client unowned, and the UPDATE ... WHERE owner IS NULL alone decides."""
    client = ClientFactory(
        name="ООО Ничья", normalized_name=normalize_name("ООО Ничья"), inn=make_inn(3), owner=None, owned_since=None
    )
    first, second = two_lists_with({"name": "Ничья", "inn": make_inn(3)}, manager, other_manager)
    after_recheck = threading.Barrier(2)

    class RecheckedTogether(prospects.BaseKeys):
        def __init__(self, entries):
            super().__init__(entries)
            after_recheck.wait(timeout=10)

    monkeypatch.setattr(prospects, "_lock_keys", lambda entry: None)
    monkeypatch.setattr(prospects, "BaseKeys", RecheckedTogether)

    results = claim_at_once([(first, manager), (second, other_manager)])

    winner, error = winner_and_loser(results, manager, other_manager)
    client.refresh_from_db()
    assert client.owner == winner
    assert str(winner) in " ".join(error.messages)
    assert list(OwnershipChange.objects.filter(client=client).values_list("to_owner", flat=True)) == [winner.pk]
