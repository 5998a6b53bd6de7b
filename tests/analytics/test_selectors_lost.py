"""Lost clients per month by reason, direction and segment (analytics/selectors/lost.py)."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.selectors.lost import lost_counts, lost_counts_cached, lost_headline, lost_report
from crm.models import Client, LongList, LongListEntry, OwnershipChange
from crm.rules.stages import Stage
from tests.crm.factories import (
    CategoryFactory,
    ClientFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SaleLineFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)  # the window: 07.2025 .. 06.2026


def buy(client, on, amount="10000", category=None):
    SaleLineFactory(
        client=client, date=on, amount=Decimal(amount), product=ProductFactory(category=category or CategoryFactory())
    )


def lost_deal(client, on, reason):
    DealFactory(
        client=client,
        stage=Stage.LOST,
        lost_reason=LostReasonFactory(name=reason),
        lost_from_stage=Stage.PROPOSAL,
        closed_at=timezone.make_aware(datetime.combine(on, time(12))),
    )


@pytest.fixture
def world(manager, other_manager):
    stone, sand = CategoryFactory(name="Щебень"), CategoryFactory(name="Песок")
    builders, farms = SegmentFactory(name="Стройка"), SegmentFactory(name="Агро")
    # Last purchase 12.2025 -> lost 06.2026, its latest lost deal says "Цена"; it bought more stone than sand.
    a = ClientFactory(owner=manager, name="А", segment=builders)
    buy(a, date(2025, 11, 3), "90000", stone)
    buy(a, date(2025, 12, 3), "20000", sand)
    lost_deal(a, date(2025, 3, 1), "Сроки")  # older than 12 months before the last purchase: not its reason
    lost_deal(a, date(2026, 2, 1), "Цена")
    # Last purchase 11.2025 -> lost 05.2026; no lost deal, a win-back call recorded why.
    b = ClientFactory(owner=None, name="Б", segment=farms, status="lost")
    buy(b, date(2025, 11, 20), "40000", sand)
    OwnershipChange.objects.create(client=b, from_owner=manager, cause=OwnershipChange.Cause.LOST)
    entry_list = LongList.objects.create(owner=other_manager, month=date(2026, 6, 1))
    LongListEntry.objects.create(
        long_list=entry_list, client=b, reason=LongListEntry.Reason.WIN_BACK, reasons_not_bought="  ушли к конкуренту "
    )
    # Last purchase 08.2025 -> lost 02.2026, bought again in 04.2026 (won back); no reason recorded.
    c = ClientFactory(owner=other_manager, name="В", segment=builders)
    buy(c, date(2025, 8, 1), "5000", stone)
    buy(c, date(2026, 4, 1), "5000", stone)
    # Still buying: not lost.
    d = ClientFactory(owner=manager, name="Г", segment=builders)
    buy(d, date(2026, 5, 1), "5000", stone)
    return a, b, c


def test_counts_per_month_and_by_reason(head, world):
    report = lost_report(user=head, as_of=AS_OF)
    assert (f"{report.months[0]:%m.%y}", f"{report.months[-1]:%m.%y}") == ("07.25", "06.26")
    #              07 08 09 10 11 12 01 02 03 04 05 06
    assert report.counts == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1]
    by_reason = {b.label: b.counts for b in report.by_reason}
    assert by_reason == {
        "Цена": [0] * 11 + [1],
        "Ушли к конкуренту": [0] * 10 + [1, 0],
        "Причина не записана": [0] * 7 + [1, 0, 0, 0, 0],
    }
    assert {b.label: b.total for b in report.by_category} == {"Щебень": 2, "Песок": 1}
    assert {b.label: b.total for b in report.by_segment} == {"Стройка": 2, "Агро": 1}
    assert [(c.name, c.reason_source, c.won_back, c.turnover) for c in report.clients] == [
        ("В", "", True, Decimal("5000.00")),
        ("Б", "win_back", False, Decimal("40000.00")),
        ("А", "deal", False, Decimal("110000.00")),
    ]
    assert (report.total, report.this_month, report.last_month, report.won_back) == (3, 1, 1, 1)


def test_a_manager_counts_the_clients_he_lost(manager, world):
    # "Б" left him when it was lost; "В" was never his.
    report = lost_report(user=manager, as_of=AS_OF)
    assert sorted(c.name for c in report.clients) == ["А", "Б"]


@pytest.mark.parametrize("who", ["head", "manager", "other_manager"])
def test_the_counts_alone_are_the_reports_in_one_query(request, world, who, django_assert_num_queries):
    user = request.getfixturevalue(who)
    expected = lost_report(user=user, as_of=AS_OF).counts
    with django_assert_num_queries(2):  # the department settings, the losses per month
        counts = lost_counts(user=user, as_of=AS_OF)
    assert counts == expected
    assert sum(counts) == {"head": 3, "manager": 2, "other_manager": 1}[who]


def test_the_cached_counts_change_with_a_new_sale(head, world, django_assert_max_num_queries):
    assert lost_counts_cached(user=head, as_of=AS_OF) == lost_report(user=head, as_of=AS_OF).counts
    with django_assert_max_num_queries(4):  # the stamps only: the counts come from the cache
        assert sum(lost_counts_cached(user=head, as_of=AS_OF)) == 3
    buy(Client.objects.get(name="А"), date(2026, 5, 4))  # bought within the gap: not lost in June any more
    fresh = lost_counts_cached(user=head, as_of=AS_OF)
    assert fresh == lost_report(user=head, as_of=AS_OF).counts
    assert sum(fresh) == 2


def test_the_headline(head, world, manager):
    headline = lost_headline(head, AS_OF)
    assert headline is not None
    assert (headline.key, headline.value, headline.tone) == ("lost", "1", "")
    assert "/analytics/lost/" in headline.url


def test_no_headline_for_who_sees_no_analytics(service_owner):
    assert lost_headline(service_owner, AS_OF) is None
