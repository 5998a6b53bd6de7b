"""The nightly LTV aggregate (analytics/nightly.py `ltv_refresh`): set-based, idempotent, dated by as_of; the page
reads it and gives the same figures as the live computation."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.models import LtvClient
from analytics.nightly import ltv_refresh
from analytics.selectors.ltv import ltv_report
from salesdept.nightly import JOBS_BY_NAME
from tests.crm.factories import ClientFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)


@pytest.fixture
def history(manager, other_manager):
    a = ClientFactory(owner=manager)
    SaleLineFactory(client=a, date=date(2026, 1, 10), amount=Decimal("100000"), margin=Decimal("25000"), line_no=1)
    SaleLineFactory(client=a, date=date(2026, 5, 10), amount=Decimal("50000"))
    b = ClientFactory(owner=other_manager)
    SaleLineFactory(client=b, date=date(2025, 10, 1), amount=Decimal("30000"), margin=Decimal("3000"))
    SaleLineFactory(client=b, date=date(2026, 7, 1), amount=Decimal("99999"))  # after as_of
    return a, b


def test_the_job_is_registered():
    assert JOBS_BY_NAME["ltv_refresh"].run is ltv_refresh


def test_one_row_per_client_and_running_twice_changes_nothing(history):
    a, b = history
    assert ltv_refresh(AS_OF) == {"clients": 2, "dropped": 0}
    first = sorted(LtvClient.objects.filter(as_of=AS_OF).values_list("client_id", "revenue", "purchases", "margin"))
    assert ltv_refresh(AS_OF)["clients"] == 2
    again = sorted(LtvClient.objects.filter(as_of=AS_OF).values_list("client_id", "revenue", "purchases", "margin"))
    assert (
        first
        == again
        == sorted(
            [(a.pk, Decimal("150000.00"), 2, Decimal("25000.00")), (b.pk, Decimal("30000.00"), 1, Decimal("3000.00"))]
        )
    )
    row = LtvClient.objects.get(as_of=AS_OF, client=a)
    assert (row.first_purchase, row.last_purchase, row.margin_revenue) == (
        date(2026, 1, 10),
        date(2026, 5, 10),
        Decimal("100000.00"),
    )


def test_nights_other_than_the_latest_and_the_firsts_are_dropped(history):
    for day in (date(2026, 6, 1), date(2026, 6, 13), date(2026, 6, 14)):
        ltv_refresh(day)
    assert ltv_refresh(AS_OF)["dropped"] == 2  # the 14th's (the 13th went when the 14th ran)
    assert sorted(set(LtvClient.objects.values_list("as_of", flat=True))) == [date(2026, 6, 1), AS_OF]


@pytest.mark.parametrize("who", ["head", "manager", "other_manager", "vip_head"])
def test_the_stored_night_gives_the_live_figures(request, history, who):
    user = request.getfixturevalue(who)
    live = ltv_report(user=user, as_of=AS_OF)
    ltv_refresh(AS_OF)
    stored = ltv_report(user=user, as_of=AS_OF)
    assert (live.stored, stored.stored) == (False, True)
    assert stored.total == live.total
    for dimension in ("segment", "manager", "cohort"):
        assert stored.groups[dimension] == live.groups[dimension]
