"""LTV from the sales history (analytics/selectors/ltv.py): the factors per segment, manager and cohort."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.selectors.ltv import ltv_report
from tests.crm.factories import ClientFactory, SaleLineFactory, SegmentFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)


def sale(client, on, amount, margin=None, document=None, line_no=1):
    kwargs = {"document_number": document} if document else {}
    return SaleLineFactory(
        client=client,
        date=on,
        amount=Decimal(amount),
        margin=None if margin is None else Decimal(margin),
        line_no=line_no,
        **kwargs,
    )


@pytest.fixture
def history(manager, other_manager):
    builders, farms = SegmentFactory(name="Стройка"), SegmentFactory(name="Агро")
    # Active (bought in May, within 5 months): lifetime 01.2026 .. 06.2026 = 6 months; 3 documents (one of 2 lines).
    a = ClientFactory(owner=manager, segment=builders, name="А")
    sale(a, date(2026, 1, 10), "100000", "20000", document="Д-1", line_no=1)
    sale(a, date(2026, 1, 10), "50000", "10000", document="Д-1", line_no=2)
    sale(a, date(2026, 3, 10), "150000", "30000")
    sale(a, date(2026, 5, 10), "100000", "20000")
    # Lost (last purchase 11.2025): lifetime 10.2025 .. 11.2025 = 2 months; 2 documents, no margin.
    b = ClientFactory(owner=other_manager, segment=farms, name="Б")
    sale(b, date(2025, 10, 1), "30000")
    sale(b, date(2025, 11, 1), "70000")
    # A sale after as_of does not count.
    sale(a, date(2026, 6, 20), "999999", "1")
    return a, b


def test_the_factors_of_the_whole_history(head, history):
    report = ltv_report(user=head, as_of=AS_OF)
    t = report.total
    # 2 clients, 5 documents, 500 000 ₽, 6 + 2 = 8 client-months; margin 80 000 on 400 000 known -> P 20 %.
    assert (t.clients, t.purchases, t.revenue, t.client_months) == (2, 5, Decimal("500000.00"), 8)
    assert (t.average_check, t.purchases_per_month, t.profitability, t.lifetime) == (
        Decimal("100000.00"),
        Decimal("0.625"),
        Decimal("20.00"),
        Decimal("4.0"),
    )
    # S x C x P x t = 100 000 x 0.625 x 0.2 x 4 = 50 000 = 20 % x 500 000 / 2.
    assert t.ltv == Decimal("50000.00")


def test_per_segment_manager_and_cohort(head, history, manager):
    report = ltv_report(user=head, as_of=AS_OF)
    by_segment = {r.label: r.factors for r in report.groups["segment"]}
    assert by_segment["Стройка"].ltv == Decimal("80000.00")  # 20 % x 400 000
    # Agro has no margin at all: P is the setting (20 %), LTV 20 % x 100 000.
    assert (by_segment["Агро"].margin_known, by_segment["Агро"].ltv) == (False, Decimal("20000.00"))
    assert {r.key for r in report.groups["manager"]} == {str(manager.pk), str(history[1].owner_id)}
    assert [(r.label, r.factors.clients) for r in report.groups["cohort"]] == [("10.2025", 1), ("01.2026", 1)]


def test_a_manager_sees_his_clients_only(manager, history):
    report = ltv_report(user=manager, as_of=AS_OF)
    assert report.total.clients == 1
    assert [r.label for r in report.groups["segment"]] == ["Стройка"]
