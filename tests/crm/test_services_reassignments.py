"""The 3-month rule (DOMAIN.md section 3) with fixed dates: the nightly flags, the head's decisions, the warning."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from crm.models import Client, DepartmentSettings, OwnershipChange, Reassignment, Role
from crm.nightly import reassignment_flags_refresh
from crm.rules.reassignments import latest_owned_since
from crm.rules.stages import Stage
from crm.selectors.reassignments import clients_near_rule
from crm.services.reassignments import reassignment_extend, reassignment_reassign, suggest_new_owners
from tests.crm.factories import ClientFactory, DealFactory, SaleLineFactory, UserFactory, concluded_deal

OWNED_SINCE = date(2026, 1, 15)
RULE_DAY = date(2026, 4, 15)  # 3 calendar months later


def nightly(as_of: date) -> str:
    out = StringIO()
    call_command("run_nightly", "--as-of", as_of.isoformat(), stdout=out)
    return out.getvalue()


def flags_table() -> list[tuple]:
    return list(
        Reassignment.objects.order_by("pk").values_list(
            "pk", "client_id", "owner_id", "owned_since", "flagged_on", "status", "extended_until", "updated_at"
        )
    )


@pytest.fixture
def flagged_client(manager):
    return ClientFactory(owner=manager, owned_since=OWNED_SINCE)


def test_the_rule_date_is_the_same_day_three_months_on_or_the_months_last_day():
    # 29, 30 and 31 November all reach 28 February: each is caught on 28 February.
    assert latest_owned_since(date(2026, 2, 28), 3) == date(2025, 11, 30)
    assert latest_owned_since(date(2026, 2, 27), 3) == date(2025, 11, 27)


def test_one_day_before_the_rule_date_the_client_is_not_flagged(flagged_client):
    nightly(RULE_DAY - timedelta(days=1))
    assert not Reassignment.objects.exists()


def test_on_the_rule_date_the_client_is_flagged_with_its_owner_and_ownership_start(flagged_client, manager):
    output = nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    assert (flag.client, flag.owner, flag.owned_since, flag.flagged_on, flag.status) == (
        flagged_client,
        manager,
        OWNED_SINCE,
        RULE_DAY,
        Reassignment.Status.PENDING,
    )
    assert "reassignment_flags_refresh: flagged=1" in output


def test_the_rule_follows_the_heads_number_of_months(flagged_client):
    DepartmentSettings.objects.update_or_create(pk=1, defaults={"reassign_after_months": 2})
    reassignment_flags_refresh(date(2026, 3, 14))
    assert not Reassignment.objects.exists()
    reassignment_flags_refresh(date(2026, 3, 15))
    assert Reassignment.objects.count() == 1


def test_running_the_nightly_twice_changes_nothing_the_second_time(manager, other_manager):
    ClientFactory.create_batch(3, owner=manager, owned_since=OWNED_SINCE)
    extended = ClientFactory(owner=other_manager, owned_since=date(2025, 12, 1))
    concluded = ClientFactory(owner=other_manager, owned_since=OWNED_SINCE)
    concluded_deal(concluded, on=date(2026, 2, 2))
    ClientFactory(owner=manager, owned_since=date(2026, 3, 1))  # not yet
    reassignment_flags_refresh(date(2026, 3, 1))
    Reassignment.objects.filter(client=extended).update(
        status=Reassignment.Status.EXTENDED, extended_until=date(2026, 4, 1)
    )
    nightly(RULE_DAY)
    first = flags_table()
    output = nightly(RULE_DAY)
    assert flags_table() == first
    assert len(first) == 4
    assert "reassignment_flags_refresh: flagged=0, back_from_extension=0, resolved=0" in output


def test_an_extended_client_is_not_flagged_again_until_the_extension_ends_then_it_is(flagged_client, head):
    DepartmentSettings.objects.update_or_create(pk=1, defaults={"reassign_extension_days": 30})
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    reassignment_extend(reassignment=flag, by=head, reason="Тендер в мае", today=RULE_DAY)
    flag.refresh_from_db()
    assert (flag.status, flag.extended_until) == (Reassignment.Status.EXTENDED, date(2026, 5, 15))

    nightly(date(2026, 5, 15))  # the extension covers its last day
    flag.refresh_from_db()
    assert flag.status == Reassignment.Status.EXTENDED
    assert Reassignment.objects.count() == 1

    nightly(date(2026, 5, 16))
    flag.refresh_from_db()
    assert (flag.status, flag.flagged_on) == (Reassignment.Status.PENDING, date(2026, 5, 16))
    assert Reassignment.objects.count() == 1


def test_a_client_is_extended_only_once_per_ownership(flagged_client, head):
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    reassignment_extend(reassignment=flag, by=head, reason="Ждём бюджет", today=RULE_DAY)
    nightly(date(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        reassignment_extend(reassignment=flag, by=head, reason="Ещё раз", today=date(2026, 6, 1))
    assert "non_field_errors" in error.value.message_dict
    flag.refresh_from_db()
    assert flag.status == Reassignment.Status.PENDING


def test_a_deal_moved_past_contract_since_the_ownership_began_keeps_the_client_off_the_queue(flagged_client):
    concluded_deal(flagged_client, on=OWNED_SINCE)  # the first day of the ownership counts
    nightly(RULE_DAY)
    assert not Reassignment.objects.exists()


def test_a_deal_concluded_before_the_current_ownership_does_not_protect_the_client(flagged_client):
    concluded_deal(flagged_client, on=OWNED_SINCE - timedelta(days=1))  # concluded by the previous owner
    nightly(RULE_DAY)
    assert Reassignment.objects.get().client == flagged_client


def test_a_client_that_buys_every_month_without_a_crm_deal_is_never_flagged(flagged_client, manager):
    for month in (1, 2, 3, 4):
        SaleLineFactory(client=flagged_client, manager=manager, date=date(2026, month, 20))
    nightly(RULE_DAY)
    assert not Reassignment.objects.exists()


def test_a_sale_dated_before_the_ownership_does_not_protect_and_one_on_its_first_day_does(flagged_client, manager):
    SaleLineFactory(client=flagged_client, manager=manager, date=OWNED_SINCE - timedelta(days=1))
    reassignment_flags_refresh(RULE_DAY)
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING
    SaleLineFactory(client=flagged_client, manager=manager, date=OWNED_SINCE)
    reassignment_flags_refresh(RULE_DAY + timedelta(days=1))
    assert Reassignment.objects.get().status == Reassignment.Status.RESOLVED


def test_a_deal_at_the_contract_stage_is_not_yet_concluded(flagged_client):
    DealFactory(client=flagged_client, stage=Stage.CONTRACT)
    nightly(RULE_DAY)
    assert Reassignment.objects.count() == 1


def test_a_deal_concluded_since_the_ownership_began_counts_whoever_owns_the_deal(flagged_client, other_manager):
    concluded_deal(flagged_client, on=date(2026, 3, 2), owner=other_manager)
    nightly(RULE_DAY)
    assert not Reassignment.objects.exists()


def test_a_deal_merely_standing_past_contract_without_the_move_in_its_history_does_not_count(flagged_client):
    DealFactory(client=flagged_client, stage=Stage.CLOSING)  # no record of when it was concluded
    nightly(RULE_DAY)
    assert Reassignment.objects.count() == 1


def test_a_pending_flag_is_resolved_once_the_owner_concludes_a_deal(flagged_client):
    nightly(RULE_DAY)
    DealFactory(client=flagged_client, stage=Stage.CONTRACT)
    nightly(RULE_DAY + timedelta(days=1))
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING
    concluded_deal(flagged_client, on=RULE_DAY + timedelta(days=1))
    output = nightly(RULE_DAY + timedelta(days=2))
    assert Reassignment.objects.get().status == Reassignment.Status.RESOLVED
    assert "resolved=1" in output


def test_a_pending_flag_is_resolved_when_the_client_changed_owner_outside_the_queue(
    flagged_client, head, other_manager
):
    from crm.services.clients import client_reassign

    nightly(RULE_DAY)
    client_reassign(client=flagged_client, to_owner=other_manager, by=head, reason="Переезд", today=RULE_DAY)
    nightly(RULE_DAY + timedelta(days=1))
    assert Reassignment.objects.get().status == Reassignment.Status.RESOLVED


def test_the_head_reassigns_a_flagged_client_the_new_owners_clock_starts_and_the_change_is_kept(
    flagged_client, head, manager, other_manager
):
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    day = date(2026, 4, 16)
    reassignment_reassign(reassignment=flag, to_owner=other_manager, by=head, reason="Нет сделки 3 месяца", today=day)
    flag.refresh_from_db()
    flagged_client.refresh_from_db()
    assert (flag.status, flag.new_owner, flag.decided_by, flag.reason) == (
        Reassignment.Status.REASSIGNED,
        other_manager,
        head,
        "Нет сделки 3 месяца",
    )
    assert (flagged_client.owner, flagged_client.owned_since) == (other_manager, day)
    change = OwnershipChange.objects.get(client=flagged_client, to_owner=other_manager)
    assert (change.from_owner, change.by, change.reason) == (manager, head, "Нет сделки 3 месяца")
    # The new owner gets his own 3 months: not flagged the day before, flagged on the day.
    nightly(date(2026, 7, 15))
    assert Reassignment.objects.count() == 1
    nightly(date(2026, 7, 16))
    assert Reassignment.objects.filter(owner=other_manager, status=Reassignment.Status.PENDING).count() == 1


def test_a_lost_client_won_back_is_never_handed_back_to_the_manager_who_lost_it(
    flagged_client, head, manager, other_manager, teammate
):
    nightly(RULE_DAY)
    reassignment_reassign(
        reassignment=Reassignment.objects.get(), to_owner=other_manager, by=head, reason="3 месяца", today=RULE_DAY
    )
    nightly(date(2026, 7, 15))
    flag = Reassignment.objects.get(status=Reassignment.Status.PENDING)
    assert flag.owner == other_manager
    flagged_client.refresh_from_db()
    suggested = suggest_new_owners(flagged_client)
    assert manager not in suggested and other_manager not in suggested
    assert teammate in suggested
    with pytest.raises(ValidationError) as error:
        reassignment_reassign(reassignment=flag, to_owner=manager, by=head, reason="Вернуть", today=date(2026, 7, 15))
    assert "owner" in error.value.message_dict
    flagged_client.refresh_from_db()
    assert flagged_client.owner == other_manager


def test_the_current_owner_cannot_be_chosen(flagged_client, head, manager):
    nightly(RULE_DAY)
    with pytest.raises(ValidationError) as error:
        reassignment_reassign(
            reassignment=Reassignment.objects.get(), to_owner=manager, by=head, reason="x", today=RULE_DAY
        )
    assert "owner" in error.value.message_dict


def test_a_decision_needs_a_reason(flagged_client, head, other_manager):
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    for decide in (
        lambda: reassignment_reassign(reassignment=flag, to_owner=other_manager, by=head, reason="  ", today=RULE_DAY),
        lambda: reassignment_extend(reassignment=flag, by=head, reason="", today=RULE_DAY),
    ):
        with pytest.raises(ValidationError) as error:
            decide()
        assert "reason" in error.value.message_dict
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TEAM_LEAD, Role.VIP_HEAD, Role.BASE_MANAGER, Role.SERVICE])
def test_only_the_head_or_the_admin_decides(flagged_client, other_manager, role):
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    someone = UserFactory(role=role, team=flagged_client.owner.team)
    with pytest.raises(PermissionDenied):
        reassignment_reassign(reassignment=flag, to_owner=other_manager, by=someone, reason="x", today=RULE_DAY)
    with pytest.raises(PermissionDenied):
        reassignment_extend(reassignment=flag, by=someone, reason="x", today=RULE_DAY)
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING


def test_the_admin_may_decide(flagged_client, admin_user):
    nightly(RULE_DAY)
    flag = reassignment_extend(reassignment=Reassignment.objects.get(), by=admin_user, reason="x", today=RULE_DAY)
    assert flag.status == Reassignment.Status.EXTENDED


def test_a_decided_flag_cannot_be_decided_again(flagged_client, head, other_manager, teammate):
    nightly(RULE_DAY)
    flag = Reassignment.objects.get()
    reassignment_reassign(reassignment=flag, to_owner=other_manager, by=head, reason="x", today=RULE_DAY)
    with pytest.raises(ValidationError):
        reassignment_reassign(reassignment=flag, to_owner=teammate, by=head, reason="y", today=RULE_DAY)
    assert Client.objects.get(pk=flagged_client.pk).owner == other_manager


def test_suggestions_are_the_active_sellers_with_the_lightest_load_first(flagged_client, head, manager, team):
    busy = UserFactory(role=Role.MANAGER, team=team)
    light = UserFactory(role=Role.TEAM_LEAD, team=team)
    idle = UserFactory(role=Role.MANAGER, team=team)
    UserFactory(role=Role.MANAGER, is_active=False)
    ClientFactory.create_batch(3, owner=busy)
    ClientFactory(owner=light)
    assert suggest_new_owners(flagged_client) == [idle, light, busy]
    assert [s.load for s in suggest_new_owners(flagged_client)] == [0, 1, 3]


def test_a_manager_is_warned_of_his_clients_that_the_rule_catches_within_two_weeks(manager, other_manager, head):
    today = date(2026, 4, 1)
    in_14_days = ClientFactory(owner=manager, owned_since=date(2026, 1, 15))
    ClientFactory(owner=manager, owned_since=date(2026, 1, 16))  # 15 April + 1: too far
    ClientFactory(owner=manager, owned_since=date(2026, 1, 1))  # caught on 1 April, already in the queue
    tomorrow = ClientFactory(owner=manager, owned_since=date(2026, 1, 2))
    concluded = ClientFactory(owner=manager, owned_since=date(2026, 1, 10))
    concluded_deal(concluded, on=date(2026, 2, 1), stage=Stage.FULFILMENT)
    ClientFactory(owner=other_manager, owned_since=date(2026, 1, 10))
    extended = ClientFactory(owner=manager, owned_since=date(2025, 12, 1))
    reassignment_flags_refresh(date(2026, 3, 1))
    reassignment_extend(
        reassignment=Reassignment.objects.get(client=extended), by=head, reason="x", today=date(2026, 3, 5)
    )  # until 4 April: back in the queue on 5 April
    near = clients_near_rule(manager, today)
    assert [(c, c.rule_date) for c in near] == [
        (tomorrow, date(2026, 4, 2)),
        (extended, date(2026, 4, 5)),
        (in_14_days, date(2026, 4, 15)),
    ]


def test_the_nightly_sql_flags_exactly_the_clients_the_plain_rule_catches(manager, other_manager):
    """The pure rule (crm/rules/reassignments.py) is the reference; the set-based nightly must agree with it."""
    from crm.models import DealStageChange, SaleLine
    from crm.rules.reassignments import is_caught

    as_of, months = RULE_DAY, 3
    cases = {  # owned since, sale days, days a deal moved past contract
        "quiet": (OWNED_SINCE, [], []),
        "bought before": (OWNED_SINCE, [date(2025, 12, 1)], []),
        "bought since": (OWNED_SINCE, [date(2026, 2, 3)], []),
        "bought every month": (OWNED_SINCE, [date(2026, m, 20) for m in (1, 2, 3, 4)], []),
        "concluded before": (OWNED_SINCE, [], [date(2026, 1, 14)]),
        "concluded since": (OWNED_SINCE, [], [date(2026, 4, 1)]),
        "concluded after as_of": (OWNED_SINCE, [], [date(2026, 4, 16)]),
        "too new": (date(2026, 1, 16), [], []),
        "month end": (date(2026, 1, 31), [], []),
    }
    clients = {}
    for name, (since, sales, moves) in cases.items():
        clients[name] = ClientFactory(owner=manager, owned_since=since, name=name)
        for day in sales:
            SaleLineFactory(client=clients[name], manager=other_manager, date=day)
        for day in moves:
            concluded_deal(clients[name], on=day)
    reassignment_flags_refresh(as_of)

    flagged = set(Reassignment.objects.values_list("client__name", flat=True))
    expected = set()
    for name, client in clients.items():
        sale_days = SaleLine.objects.filter(client=client).values_list("date", flat=True)
        moves = DealStageChange.objects.filter(deal__client=client, from_stage=Stage.CONTRACT).values_list(
            "at", flat=True
        )
        concluded_on = [*sale_days, *(timezone.localdate(at) for at in moves)]
        if is_caught(owned_since=client.owned_since, concluded_on=concluded_on, as_of=as_of, months=months):
            expected.add(name)
    assert flagged == expected == {"quiet", "bought before", "concluded before", "concluded after as_of"}
