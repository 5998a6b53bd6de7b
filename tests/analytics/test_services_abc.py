"""The nightly ABC/XYZ job: the set-based SQL path and the pure reference agree exactly; re-runs replace the month."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from analytics.models import AnalyticsSettings, ClientAbc
from analytics.nightly import abc_xyz_refresh
from analytics.services.abc import abc_xyz_compute
from salesdept.nightly import JOBS_BY_NAME
from tests.crm.factories import ClientFactory, SaleLineFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 1)  # window: 01.12.2025 - 30.11.2026
FIELDS = ("client_id", "abc", "xyz", "cell", "revenue", "margin", "months_bought", "cv", "rank", "cumulative_share")


@pytest.fixture
def sales(manager):
    clients = [ClientFactory(owner=manager, name=f"К{i}") for i in range(7)]
    plan = {
        0: [(m, D("1000.00"), D("300.00")) for m in range(12)],  # every month: AX
        1: [(m, D("1500.50"), None) for m in range(0, 12, 2)],  # 6 months
        2: [(m, D("333.33"), D("10.00")) for m in (3, 4, 5, 6, 7, 8, 9, 10, 11)],  # 9 months
        3: [(11, D("5000.00"), D("2500.00"))],  # one big month
        4: [(m, D("1000.00"), D("300.00")) for m in range(12)],  # a tie with client 0
        5: [(2, D("100.00"), D("1.00")), (5, D("-100.00"), D("-1.00"))],  # nets to zero
    }
    number = 0
    for index, lines in plan.items():
        for month, amount, margin in lines:
            number += 1
            day = date(2025 + (11 + month) // 12, (11 + month) % 12 + 1, 10)
            SaleLineFactory(client=clients[index], date=day, amount=amount, margin=margin, document_number=f"Д{number}")
    # outside the window: before it and in the month itself
    SaleLineFactory(client=clients[6], date=date(2025, 11, 30), amount=D("9999"), document_number="old")
    SaleLineFactory(client=clients[6], date=date(2026, 12, 1), amount=D("9999"), document_number="new")
    return clients


def rows(month=AS_OF):
    return sorted(ClientAbc.objects.filter(month=month).values_list(*FIELDS))


@pytest.mark.parametrize(
    "change",
    [{}, {"abc_basis": "margin"}, {"xyz_method": "cv"}, {"abc_a_share": D("50"), "abc_b_share": D("30")}],
)
def test_sql_and_python_agree_exactly(sales, change):
    # The tests run on PostgreSQL (salesdept/settings/test.py), where the set-based SQL path is the nightly's.
    assert connection.vendor == "postgresql"
    AnalyticsSettings.objects.update_or_create(pk=1, defaults=change)
    assert abc_xyz_compute(as_of=AS_OF, sql=True)["clients"] == 6
    by_sql = rows()
    assert abc_xyz_compute(as_of=AS_OF, sql=False)["clients"] == 6
    assert rows() == by_sql


def test_the_classes_of_the_data_set(sales):
    abc_xyz_refresh(AS_OF)
    got = {
        r.client.name: (r.cell, r.revenue, r.months_bought, r.rank)
        for r in ClientAbc.objects.filter(month=AS_OF).select_related("client")
    }
    # total 12000 + 9003 + 2999.97 + 5000 + 12000 = 41002.97; 0 and 4 tie at 12000 (id order), then 1, 3, 2, 5
    assert got == {
        "К0": ("AX", D("12000.00"), 12, 1),
        "К4": ("AX", D("12000.00"), 12, 2),
        "К1": ("AY", D("9003.00"), 6, 3),  # before: 24000 / 41002.97 = 58.5 % -> A
        "К3": ("BZ", D("5000.00"), 1, 4),  # before: 33003 = 80.5 % -> B
        "К2": ("BX", D("2999.97"), 9, 5),  # before: 38003 = 92.7 % -> B
        "К5": ("CZ", D("0.00"), 1, 6),  # +100 and -100: nothing bought on balance -> C; 1 month -> Z
        "К6": ("CZ", D("0.00"), 0, 7),  # classified in November (the first night fills it), nothing bought since
    }


def test_rerun_replaces_the_month_and_a_client_that_stopped_stays(sales):
    abc_xyz_refresh(date(2026, 11, 15))
    november = rows(date(2026, 11, 1))
    abc_xyz_refresh(date(2026, 11, 20))
    assert rows(date(2026, 11, 1)) == november
    # client 6 bought in 11.2025 only: classified for 11.2026 (window 11.2025-10.2026) but not in the 12.2026 window;
    # it stays in December with zeros, as C Z
    abc_xyz_refresh(AS_OF)
    december = ClientAbc.objects.get(month=AS_OF, client=sales[6])
    assert (december.cell, december.revenue, december.months_bought) == ("CZ", D("0.00"), 0)


def test_registered_in_the_nightly():
    assert JOBS_BY_NAME["abc_xyz_refresh"].run is abc_xyz_refresh


def test_the_first_night_classifies_the_month_before_too(sales):
    counts = abc_xyz_refresh(AS_OF)
    # November's window (11.2025-10.2026) holds client 6's line of 30.11.2025 but not client 3's one month (11.2026)
    assert counts["previous_month_filled"] == 6
    assert ClientAbc.objects.filter(month=date(2026, 11, 1)).count() == 6
    assert not ClientAbc.objects.filter(month=date(2026, 11, 1), client=sales[3]).exists()
    assert "previous_month_filled" not in abc_xyz_refresh(AS_OF)
