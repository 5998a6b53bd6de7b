"""The demo's analytics data (analytics/demo.py): card figures for the biggest buyers, reasons on win-back entries."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.demo_reports import analytics_seed
from crm.models import ClientCategoryPurchase, LongList, LongListEntry
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)


def test_the_demo_types_figures_and_win_back_reasons(manager, other_manager):
    stone = CategoryFactory(name="Щебень")
    buyers = [ClientFactory(owner=manager) for _ in range(3)]
    for buyer in buyers:
        SaleLineFactory(
            client=buyer, product=ProductFactory(category=stone), date=date(2026, 3, 1), amount=Decimal("90000")
        )
    lost = ClientFactory(owner=None, status="lost")
    long_list = LongList.objects.create(owner=other_manager, month=date(2026, 6, 1))
    entries = [
        LongListEntry.objects.create(long_list=long_list, client=lost, reason=LongListEntry.Reason.WIN_BACK),
        LongListEntry.objects.create(
            long_list=long_list, client=ClientFactory(owner=None), reason=LongListEntry.Reason.NEVER_BOUGHT
        ),
    ]
    counts = analytics_seed(as_of=AS_OF, seed=1)
    figures = ClientCategoryPurchase.objects.all()
    assert counts["card_figures"] == figures.count() == 3
    for figure in figures:
        # our 90 000 is 15-85 % of the client's figure
        assert figure.source == ClientCategoryPurchase.Source.CARD and figure.recorded_by == manager
        assert Decimal("105000") <= figure.yearly_amount <= Decimal("600000")
    entries[0].refresh_from_db()
    entries[1].refresh_from_db()
    assert entries[1].reasons_not_bought == ""  # only win-backs and former buyers
    assert counts["win_back_reasons"] == (1 if entries[0].reasons_not_bought else 0)
    assert analytics_seed(as_of=AS_OF, seed=1)["card_figures"] == 3
    assert ClientCategoryPurchase.objects.count() == 3  # the same day's figure is corrected, not added
