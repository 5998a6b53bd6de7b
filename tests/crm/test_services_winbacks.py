"""A lost client leaves its owner and becomes a free win-back (DOMAIN.md section 3, issue 9 rule 3): the nightly
frees it, the head gives it to a manager who did not lose it, the long lists offer it, biggest former buyers first."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crm.models import Client, LongListEntry, OwnershipChange
from crm.nightly import client_statuses_refresh
from crm.selectors.winbacks import attach_lost_by, win_backs
from crm.services.hunting import long_lists_draft_for
from crm.services.winbacks import win_back_assign, win_back_take
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)  # lost: no purchase since 1 July 2026 (the 5 full months before December)
DECEMBER = date(2026, 12, 1)


def lost_client(owner, *, name="Бывший", owned_since=date(2025, 1, 10), sales=(("300000", date(2026, 6, 20)),)):
    client = ClientFactory(owner=owner, owned_since=owned_since, name=name, status=Client.Status.ACTIVE)
    for amount, day in sales:
        SaleLineFactory(client=client, date=day, amount=Decimal(amount))
    return client


def test_the_nightly_frees_a_client_that_stopped_buying_while_its_owner_had_it(manager):
    client = lost_client(manager)
    steady = lost_client(manager, name="Постоянный", sales=(("1000", date(2026, 11, 30)),))

    counts = client_statuses_refresh(AS_OF)

    client.refresh_from_db()
    steady.refresh_from_db()
    assert counts["became_lost"] == 1 and counts["freed"] == 1
    assert (client.status, client.owner_id, client.owned_since) == (Client.Status.LOST, None, None)
    assert steady.owner_id == manager.pk
    change = OwnershipChange.objects.get(client=client)
    assert (change.from_owner_id, change.to_owner_id, change.cause) == (manager.pk, None, OwnershipChange.Cause.LOST)
    assert "20.06.2026" in change.reason
    # A second night changes nothing.
    assert client_statuses_refresh(AS_OF)["freed"] == 0


def test_a_win_back_manager_the_head_gave_the_lost_client_to_keeps_it(manager, other_manager, head):
    client = lost_client(manager)
    client_statuses_refresh(AS_OF)
    win_back_assign(client=Client.objects.get(pk=client.pk), to_owner=other_manager, by=head, today=date(2026, 12, 2))

    # Still no purchase, but he took it after the loss: it stays his (the 3-month rule watches him now).
    assert client_statuses_refresh(date(2026, 12, 3))["freed"] == 0
    client.refresh_from_db()
    assert (client.owner_id, client.owned_since) == (other_manager.pk, date(2026, 12, 2))


def test_the_manager_who_lost_it_never_gets_it_back(manager, head):
    client = lost_client(manager)
    client_statuses_refresh(AS_OF)

    with pytest.raises(ValidationError) as refused:
        win_back_assign(client=Client.objects.get(pk=client.pk), to_owner=manager, by=head)

    change = OwnershipChange.objects.filter(client_id=client.pk, cause=OwnershipChange.Cause.LOST).get()
    # The day it was lost, in the department's time (the change is stamped now, whatever AS_OF says).
    assert timezone.localdate(change.at).strftime("%d.%m.%Y") in refused.value.messages[0]
    assert Client.objects.get(pk=client.pk).owner_id is None


def test_only_the_head_gives_win_backs(manager, other_manager):
    client = lost_client(manager)
    client_statuses_refresh(AS_OF)
    with pytest.raises(PermissionDenied):
        win_back_assign(client=Client.objects.get(pk=client.pk), to_owner=other_manager, by=other_manager)


def test_the_win_back_list_shows_last_purchase_the_year_before_it_and_who_lost_it(manager, other_manager):
    big = lost_client(
        manager,
        name="Крупный",
        sales=(
            ("100000", date(2025, 6, 20)),  # 365 days before the last purchase: outside the year
            ("250000", date(2025, 6, 21)),
            ("50000", date(2026, 6, 20)),
        ),
    )
    small = lost_client(other_manager, name="Малый", sales=(("90000", date(2026, 1, 5)),))
    client_statuses_refresh(AS_OF)

    rows = list(win_backs())
    attach_lost_by(rows)

    assert [row.pk for row in rows] == [big.pk, small.pk]
    assert [row.turnover_before_loss for row in rows] == [Decimal("300000.00"), Decimal("90000.00")]
    assert [row.last_purchase for row in rows] == [date(2026, 6, 20), date(2026, 1, 5)]
    assert [row.lost_by for row in rows] == [manager, other_manager]


def test_a_win_back_takes_its_open_deals_and_planned_activities_to_the_new_owner(manager, other_manager, head):
    client = lost_client(manager)
    deal = DealFactory(client=client, owner=manager)
    task = ActivityFactory(client=client, deal=deal, owner=manager, due_at="2026-12-20T10:00:00Z", done_at=None)
    client_statuses_refresh(AS_OF)
    deal.refresh_from_db()
    assert deal.owner_id == manager.pk  # freed: the work waits for the next owner

    win_back_assign(client=Client.objects.get(pk=client.pk), to_owner=other_manager, by=head)

    deal.refresh_from_db()
    task.refresh_from_db()
    assert deal.owner_id == task.owner_id == other_manager.pk


def test_long_lists_deal_free_win_backs_in_turn_biggest_first_never_to_who_lost_them(manager, other_manager):
    third = UserFactory(role=manager.role, team=manager.team)
    lost_by_manager = [
        lost_client(manager, name=f"A{i}", sales=((str(amount), date(2026, 5, 1)),))
        for i, amount in enumerate([900000, 800000, 700000])
    ]
    lost_by_other = lost_client(other_manager, name="B", sales=(("850000", date(2026, 5, 1)),))
    client_statuses_refresh(AS_OF)

    long_lists_draft_for(month=DECEMBER)

    def win_backs_of(user):
        return list(
            LongListEntry.objects.filter(long_list__owner=user, reason=LongListEntry.Reason.WIN_BACK)
            .order_by("rank")
            .values_list("client__name", "past_turnover")
        )

    # Biggest first - A0 900 000, B 850 000, A1 800 000, A2 700 000 - each to the next manager in turn who did not
    # lose it: A0 skips the manager (he lost it) to the second, B goes to the third, A1 skips the manager again.
    assert win_backs_of(manager) == []
    assert win_backs_of(other_manager) == [("A0", Decimal("900000.00")), ("A1", Decimal("800000.00"))]
    assert win_backs_of(third) == [("B", Decimal("850000.00")), ("A2", Decimal("700000.00"))]
    assert {c.pk for c in lost_by_manager} | {lost_by_other.pk} == set(
        LongListEntry.objects.filter(reason=LongListEntry.Reason.WIN_BACK).values_list("client_id", flat=True)
    )


def test_a_manager_takes_the_win_back_his_long_list_offers_and_a_second_taker_is_refused(manager, other_manager):
    client = lost_client(other_manager)
    client_statuses_refresh(AS_OF)
    long_lists_draft_for(month=DECEMBER)
    entry = LongListEntry.objects.select_related("client", "long_list").get(long_list__owner=manager)
    assert entry.reason == LongListEntry.Reason.WIN_BACK

    win_back_take(entry=entry, by=manager, today=date(2026, 12, 3))

    client.refresh_from_db()
    assert (client.owner_id, client.owned_since) == (manager.pk, date(2026, 12, 3))
    entry.client.refresh_from_db()
    with pytest.raises(ValidationError):
        win_back_take(entry=entry, by=manager)
    with pytest.raises(PermissionDenied):
        win_back_take(entry=entry, by=other_manager)
