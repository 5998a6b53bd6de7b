"""Share of wallet (analytics/selectors/wallet.py): our 12-month sales / the client's yearly purchases."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.selectors.wallet import wallet_report
from crm.models import ClientCategoryPurchase
from crm.services.wallet import client_category_purchase_record
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)  # the window: 01.06.2025 .. 31.05.2026


@pytest.fixture
def world(manager, other_manager):
    stone, sand = CategoryFactory(name="Щебень"), CategoryFactory(name="Песок")
    a = ClientFactory(owner=manager, name="А")
    b = ClientFactory(owner=other_manager, name="Б")
    ClientFactory(owner=manager, name="Без цифры")
    for client, category, amount, on in (
        (a, stone, "300000", date(2026, 3, 1)),
        (a, stone, "100000", date(2025, 6, 1)),  # the window's first day
        (a, stone, "777777", date(2025, 5, 31)),  # before the window
        (a, stone, "555555", date(2026, 6, 1)),  # as_of's month: not a full month
        (a, sand, "50000", date(2026, 1, 1)),
        (b, stone, "250000", date(2026, 2, 1)),
    ):
        SaleLineFactory(client=client, product=ProductFactory(category=category), amount=Decimal(amount), date=on)
    record = client_category_purchase_record
    card = ClientCategoryPurchase.Source.CARD
    record(client=a, category=stone, yearly_amount="1 000 000", recorded_on=date(2026, 1, 1), source=card, by=manager)
    record(client=a, category=stone, yearly_amount="1 600 000", recorded_on=date(2026, 4, 1), source=card, by=manager)
    record(client=a, category=sand, yearly_amount="0", recorded_on=date(2026, 4, 1), source=card, by=manager)
    record(
        client=b, category=stone, yearly_amount="1000000", recorded_on=date(2026, 4, 1), source=card, by=other_manager
    )
    # Recorded after as_of: not yet known on that day.
    record(client=b, category=sand, yearly_amount="500000", recorded_on=date(2026, 7, 1), source=card, by=other_manager)
    return stone, sand


def test_per_client_and_category(head, world):
    stone, _sand = world
    report = wallet_report(user=head, as_of=AS_OF)
    assert [(r.client, r.category, r.ours, r.total, r.share) for r in report.rows] == [
        ("А", "Песок", Decimal("50000.00"), Decimal("0.00"), None),  # a total of 0 gives no share
        ("А", "Щебень", Decimal("400000.00"), Decimal("1600000.00"), 25),  # the latest figure
        ("Б", "Щебень", Decimal("250000.00"), Decimal("1000000.00"), 25),
    ]
    by_category = {c.category: (c.clients, c.ours, c.total, c.share) for c in report.categories}
    assert by_category == {
        "Песок": (1, Decimal("50000.00"), Decimal("0.00"), None),
        "Щебень": (2, Decimal("650000.00"), Decimal("2600000.00"), 25),
    }
    assert (report.clients_with_figure, report.clients_in_scope) == (2, 3)
    assert (report.ours, report.total, report.share) == (Decimal("700000.00"), Decimal("2600000.00"), 27)
    assert [r.client for r in wallet_report(user=head, as_of=AS_OF, category_id=stone.pk).rows] == ["А", "Б"]


def test_a_manager_sees_his_clients_only(manager, world):
    report = wallet_report(user=manager, as_of=AS_OF)
    assert {r.client for r in report.rows} == {"А"}
    assert (report.clients_with_figure, report.clients_in_scope) == (1, 2)
