"""Drafting the monthly long lists on the 1st (DOMAIN.md section 3, new-client hunting), with fixed dates."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import DepartmentSettings, LongList, LongListEntry, Role
from crm.nightly import long_lists_draft
from crm.services.hunting import long_lists_draft_for
from salesdept.nightly import NIGHTLY_JOBS
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = date(2026, 12, 1)  # new clients: no purchase since 1 July 2026 (5 full months); turnover window from Dec 2024
PREVIOUS = date(2026, 11, 1)


def bought(client, *amounts_and_days):
    for amount, day in amounts_and_days:
        SaleLineFactory(client=client, date=day, amount=Decimal(amount))
    return client


def entries_of(manager, month=FIRST):
    return list(LongListEntry.objects.filter(long_list__owner=manager, long_list__month=month).order_by("rank"))


def test_the_job_is_registered_with_the_nightly_jobs():
    assert long_lists_draft in [job.run for job in NIGHTLY_JOBS]


def test_former_big_buyers_are_ranked_by_their_turnover_of_the_past_24_months(manager):
    small = bought(ClientFactory(owner=manager, name="Малый"), ("100000", date(2026, 3, 10)))
    big = bought(
        ClientFactory(owner=manager, name="Крупный"), ("900000", date(2025, 5, 10)), ("50000", date(2026, 6, 30))
    )
    middle = bought(ClientFactory(owner=manager, name="Средний"), ("400000", date(2025, 1, 10)))
    # Bought in July: only 4 months without a purchase, not a new client yet.
    bought(ClientFactory(owner=manager, name="Недавний"), ("1000000", date(2026, 7, 1)))
    # The only purchase is older than 24 months: no turnover to rank by.
    bought(ClientFactory(owner=manager, name="Давний"), ("1000000", date(2024, 11, 30)))

    result = long_lists_draft(FIRST)

    entries = entries_of(manager)
    assert [e.client_id for e in entries] == [big.pk, middle.pk, small.pk]
    assert [e.past_turnover for e in entries] == [Decimal("950000.00"), Decimal("400000.00"), Decimal("100000.00")]
    assert {e.reason for e in entries} == {LongListEntry.Reason.FORMER_BUYER}
    assert [e.rank for e in entries] == [1, 2, 3]
    assert result["drafted"] == 1 and result["former_buyer"] == 3


def test_unpaid_sales_count_toward_the_past_turnover(manager):
    client = ClientFactory(owner=manager)
    SaleLineFactory(client=client, date=date(2026, 2, 1), amount=Decimal("70000"), is_paid=False, paid_date=None)
    SaleLineFactory(client=client, date=date(2026, 2, 2), amount=Decimal("30000"))

    long_lists_draft(FIRST)

    assert entries_of(manager)[0].past_turnover == Decimal("100000.00")


def test_prospects_that_never_bought_follow_the_former_buyers(manager):
    never_b = ClientFactory(owner=manager, name="Б-перспектива", status="prospect")
    never_a = ClientFactory(owner=manager, name="А-перспектива", status="prospect")
    former = bought(ClientFactory(owner=manager, name="Я-бывший"), ("10000", date(2026, 1, 5)))

    long_lists_draft(FIRST)

    entries = entries_of(manager)
    assert [e.client_id for e in entries] == [former.pk, never_a.pk, never_b.pk]
    assert [e.reason for e in entries] == ["former_buyer", "never_bought", "never_bought"]
    assert entries[1].past_turnover == Decimal("0")


def test_carried_over_entries_come_first_and_converted_ones_do_not(manager, other_manager):
    previous = LongList.objects.create(owner=manager, month=PREVIOUS)
    stayed = ClientFactory(owner=manager, name="Не купил")
    converted = ClientFactory(owner=manager, name="Купил")
    won = ClientFactory(owner=manager, name="Выиграл сделку")
    moved = ClientFactory(owner=other_manager, name="Передан другому")
    for rank, client in enumerate([stayed, converted, won, moved], start=1):
        LongListEntry.objects.create(
            long_list=previous,
            client=client,
            reason="never_bought",
            rank=rank,
            interested=True,
            short_listed=client == stayed,
            needs="Нужны поставки раз в месяц" if client == stayed else "",
            called_at=datetime(2026, 11, 3, 9, tzinfo=UTC),
        )
    bought(converted, ("80000", date(2026, 11, 20)))
    DealFactory(client=won, won_at=datetime(2026, 11, 25, tzinfo=UTC))
    former = bought(ClientFactory(owner=manager, name="Бывший"), ("10000", date(2026, 1, 5)))

    result = long_lists_draft(FIRST)

    entries = entries_of(manager)
    assert [e.client_id for e in entries] == [stayed.pk, former.pk]
    carried = entries[0]
    assert carried.reason == LongListEntry.Reason.CARRIED
    assert carried.short_listed and carried.needs == "Нужны поставки раз в месяц"
    assert carried.called_at is None  # a new month, a new call
    assert result["carried"] == 1
    # The client now owned by another manager is on that manager's list as a prospect, not carried over.
    assert [(e.client_id, e.reason) for e in entries_of(other_manager)] == [(moved.pk, "never_bought")]


def test_the_list_is_capped_at_the_maximum(manager):
    for n in range(105):
        ClientFactory(owner=manager, name=f"Перспектива {n:03d}", status="prospect")

    result = long_lists_draft(FIRST)

    entries = entries_of(manager)
    assert len(entries) == 100
    assert entries[-1].rank == 100
    assert result["below_min"] == 0


def test_a_list_below_the_minimum_is_counted_for_the_warning(manager):
    ClientFactory(owner=manager, status="prospect")

    assert long_lists_draft(FIRST)["below_min"] == 1


def test_the_cap_follows_the_department_settings(manager):
    settings = DepartmentSettings.current()
    settings.long_list_max = 2
    settings.long_list_min = 1
    settings.save()
    for n in range(3):
        ClientFactory(owner=manager, name=f"Перспектива {n}", status="prospect")

    long_lists_draft(FIRST)

    assert len(entries_of(manager)) == 2


def test_nothing_is_drafted_on_the_second(manager):
    ClientFactory(owner=manager, status="prospect")

    result = long_lists_draft(date(2026, 12, 2))

    assert result["drafted"] == 0
    assert not LongList.objects.exists()


def test_a_second_run_adds_nothing_and_changes_no_list(manager):
    first_client = ClientFactory(owner=manager, status="prospect")
    long_lists_draft(FIRST)
    before = list(LongListEntry.objects.values_list("pk", "client_id", "rank", "updated_at"))
    ClientFactory(owner=manager, status="prospect")  # a new prospect after the draft

    second = long_lists_draft(FIRST)

    assert second["drafted"] == 0 and second["entries"] == 0
    assert list(LongListEntry.objects.values_list("pk", "client_id", "rank", "updated_at")) == before
    assert [e.client_id for e in entries_of(manager)] == [first_client.pk]


def test_only_active_sellers_get_lists(manager, head, base_manager, team_lead):
    gone = UserFactory(role=Role.MANAGER, is_active=False)
    ClientFactory(owner=gone, status="prospect")

    long_lists_draft(FIRST)

    assert set(LongList.objects.values_list("owner_id", flat=True)) == {manager.pk, team_lead.pk}


def test_drafting_runs_a_constant_number_of_queries(manager):
    def make(n, prefix):
        for _ in range(n):
            seller = UserFactory(role=Role.MANAGER)
            ClientFactory(owner=seller, status="prospect")
            bought(ClientFactory(owner=seller), ("1000", date(2026, 2, 1)))

    DepartmentSettings.current()
    make(2, "a")
    with CaptureQueriesContext(connection) as few:
        long_lists_draft_for(month=FIRST)
    LongList.objects.all().delete()
    make(20, "b")
    with CaptureQueriesContext(connection) as many:
        long_lists_draft_for(month=FIRST)

    assert LongList.objects.count() == 23
    assert len(few) == len(many)


def test_the_nightly_run_marks_the_first_outgoing_call_of_the_month(manager):
    client = ClientFactory(owner=manager, status="prospect")
    long_lists_draft(FIRST)
    ActivityFactory(client=client, owner=manager, direction="out", done_at=datetime(2026, 12, 3, 10, tzinfo=UTC))
    ActivityFactory(client=client, owner=manager, direction="out", done_at=datetime(2026, 12, 2, 10, tzinfo=UTC))
    ActivityFactory(client=client, owner=manager, direction="in", done_at=datetime(2026, 12, 1, 10, tzinfo=UTC))

    assert long_lists_draft(date(2026, 12, 3))["calls_marked"] == 1
    assert entries_of(manager)[0].called_at == datetime(2026, 12, 2, 10, tzinfo=UTC)
    assert long_lists_draft(date(2026, 12, 3))["calls_marked"] == 0


def test_a_company_marked_not_worth_the_time_is_not_on_next_months_list(manager):
    previous = LongList.objects.create(owner=manager, month=PREVIOUS)
    worth = ClientFactory(owner=manager, name="Перспективный")
    not_worth = ClientFactory(owner=manager, name="Мелкий")
    for rank, (client, flag) in enumerate([(worth, False), (not_worth, True)], start=1):
        LongListEntry.objects.create(
            long_list=previous, client=client, reason="never_bought", rank=rank, not_worth=flag
        )

    long_lists_draft(FIRST)

    # Nor does it come back as a prospect that never bought.
    assert [(e.client_id, e.reason) for e in entries_of(manager)] == [(worth.pk, LongListEntry.Reason.CARRIED)]
