"""The nightly's planner setting holds for its own transaction only."""

import pytest
from django.db import connection, transaction

from core.db import history_scan_in_client_order

pytestmark = pytest.mark.django_db(transaction=True)


def workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


def test_the_history_scan_runs_without_parallel_workers_for_its_transaction_only():
    default = workers()
    assert default != "0"
    with transaction.atomic():
        history_scan_in_client_order()
        assert workers() == "0"
    assert workers() == default


def test_outside_a_transaction_it_changes_nothing():
    default = workers()
    history_scan_in_client_order()
    assert workers() == default
