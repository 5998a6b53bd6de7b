"""Plan generation by DOMAIN.md section 4: the worked example, the edge cases, versions, approval, nightly drafts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Role
from planning.models import Plan
from planning.nightly import plan_drafts_generate
from planning.rules.plans import compute_plan, gap_warning, window_bounds, window_months
from planning.services.plans import plan_adjust, plan_approve, plan_generate
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory

MAY = date(2026, 5, 1)
JAN, FEB, MAR, APR = window_months(MAY)
D = Decimal


def sell(manager, client, month, amount, *, paid=True, day=10):
    return SaleLineFactory(client=client, manager=manager, date=month.replace(day=day), amount=D(amount), is_paid=paid)


def worked_example(manager):
    """DOMAIN.md section 4's table: Alfa, Beta, Gamma, Delta over 2026-01..2026-04."""
    table = {
        "Alfa": (100_000, 120_000, 80_000, 100_000),
        "Beta": (0, 60_000, 60_000, 60_000),
        "Gamma": (200_000, 0, 0, 0),
        "Delta": (50_000, 0, 0, 30_000),
    }
    clients = {}
    for name, amounts in table.items():
        clients[name] = ClientFactory(name=name, owner=manager)
        for month, amount in zip((JAN, FEB, MAR, APR), amounts, strict=True):
            if amount:
                sell(manager, clients[name], month, amount)
    return clients


def lines_of(plan):
    return {line.client.name: line for line in plan.lines.select_related("client")}


# --- the worked example ------------------------------------------------------------------------------------------


def test_the_worked_example_of_domain_section_4_gives_its_exact_figures(manager, head):
    clients = worked_example(manager)
    sell(manager, clients["Alfa"], date(2025, 12, 1), 999_999)  # before the window: ignored
    sell(manager, clients["Alfa"], MAY, 999_999)  # the plan month itself: ignored

    plan = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head, active_existing_share=D("0.5"))

    assert (plan.window_start, plan.window_end) == (date(2026, 1, 1), date(2026, 4, 30))
    assert plan.window_total == D("860000.00")
    assert plan.regular_total == D("145000.00")
    assert plan.average_monthly == D("215000.00")
    assert plan.one_off == D("14000.00")
    assert plan.active_gap == D("91000.00")
    assert not gap_warning(plan.target, plan.active_gap)  # 36.4 % of T
    assert plan.active_existing == D("45500.00")
    assert plan.active_new == D("45500.00")
    assert plan.cross_sell_cover == D("227500.00")
    assert plan.months_worked == 4
    lines = lines_of(plan)
    assert set(lines) == {"Alfa", "Beta"}
    assert (lines["Alfa"].months_with_purchases, lines["Alfa"].window_total, lines["Alfa"].plan_amount) == (
        4,
        D("400000.00"),
        D("100000.00"),
    )
    assert (lines["Beta"].months_with_purchases, lines["Beta"].window_total, lines["Beta"].plan_amount) == (
        3,
        D("180000.00"),
        D("45000.00"),
    )
    assert lines["Beta"].monthly == ["0.00", "60000.00", "60000.00", "60000.00"]


def test_compute_plan_on_plain_rows_gives_the_worked_example():
    rows = [
        (1, JAN, D(100_000)),
        (1, FEB, D(120_000)),
        (1, MAR, D(80_000)),
        (1, APR, D(100_000)),
        (2, FEB, D(60_000)),
        (2, MAR, D(60_000)),
        (2, APR, D(60_000)),
        (3, JAN, D(200_000)),
        (4, JAN, D(50_000)),
        (4, APR, D(30_000)),
    ]
    figures = compute_plan(rows, months=[JAN, FEB, MAR, APR], target=D(250_000))
    assert (figures.regular_total, figures.average_monthly, figures.one_off) == (D(145_000), D(215_000), D(14_000))
    assert (figures.active_gap, figures.active_existing, figures.active_new) == (D(91_000), D(45_500), D(45_500))
    assert figures.cross_sell_cover == D(227_500)
    assert figures.gap_percent == D("36.4")
    assert [(line.client_id, line.plan) for line in figures.lines] == [(1, D(100_000)), (2, D(45_000))]


def test_with_s_two_thirds_e_is_exactly_two_thirds_rounded_once_and_n_takes_the_rest():
    figures = compute_plan([], months=[JAN, FEB, MAR, APR], target=D("100000"), active_existing_share=D("0.6667"))
    assert figures.active_existing == D("66666.67")  # 100 000 x 2/3, not x 0.6667 (66 670)
    assert figures.active_existing + figures.active_new == figures.active_gap == D("100000.00")


# --- edge cases --------------------------------------------------------------------------------------------------


def test_a_manager_with_two_months_still_divides_by_four(manager, head):
    client = ClientFactory(owner=manager)
    sell(manager, client, MAR, 100_000)
    sell(manager, ClientFactory(owner=manager), APR, 100_000)
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert plan.average_monthly == D("50000.00")
    assert plan.months_worked == 2
    assert plan.regular_total == D("0.00")
    assert plan.one_off == D("10000.00")


def test_a_client_with_exactly_three_months_is_regular_and_with_two_is_not(manager, head):
    three, two = ClientFactory(owner=manager, name="Три"), ClientFactory(owner=manager, name="Два")
    for month in (JAN, MAR, APR):
        sell(manager, three, month, 10_000)
    for month in (JAN, APR):
        sell(manager, two, month, 10_000)
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert set(lines_of(plan)) == {"Три"}
    assert lines_of(plan)["Три"].plan_amount == D("7500.00")


def test_refunds_net_within_their_month_and_a_month_netting_to_zero_is_not_a_purchase_month(manager, head):
    client = ClientFactory(owner=manager, name="Возврат")
    sell(manager, client, JAN, 50_000)
    sell(manager, client, FEB, 40_000)
    sell(manager, client, FEB, -40_000, day=20)  # refunded in full: February does not count
    sell(manager, client, MAR, 30_000)
    sell(manager, client, MAR, -10_000, day=20)  # partial refund: March counts with 20 000
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert lines_of(plan) == {}
    assert plan.window_total == D("70000.00")
    assert plan.average_monthly == D("17500.00")

    sell(manager, client, APR, 10_000)  # a third month with purchases: now regular
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    line = lines_of(plan)["Возврат"]
    assert (line.months_with_purchases, line.window_total, line.plan_amount) == (3, D("80000.00"), D("20000.00"))
    assert line.monthly == ["50000.00", "0.00", "20000.00", "10000.00"]


def test_a_manager_whose_window_only_has_refunds_gets_a_zero_average_not_a_negative_one(manager, head):
    sell(manager, ClientFactory(owner=manager), FEB, -5_000)
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert (plan.window_total, plan.average_monthly, plan.one_off, plan.months_worked) == (D("-5000"), 0, 0, 0)
    assert plan.active_gap == D("100000.00")


def test_a_steady_client_moved_mid_window_is_a_regular_client_of_its_new_owner_with_its_whole_turnover(
    manager, other_manager, head, client
):
    """The history is that of the clients the manager owns on the first day of the plan month, whoever sold them."""
    from crm.services.clients import client_reassign

    steady = ClientFactory(owner=manager, name="Переход", owned_since=date(2025, 6, 1))
    for month in (JAN, FEB, MAR):
        sell(manager, steady, month, 10_000)
    client_reassign(client=steady, to_owner=other_manager, by=head, reason="Перераспределение", today=APR)
    sell(other_manager, steady, APR, 40_000)

    theirs = plan_generate(manager=other_manager, month=MAY, target=D("100000"), by=head)
    mine = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)

    assert lines_of(theirs)["Переход"].plan_amount == D("17500.00")  # (3 x 10 000 + 40 000) / 4
    assert (theirs.window_total, theirs.regular_total) == (D("70000.00"), D("17500.00"))
    assert (mine.window_total, lines_of(mine)) == (D("0.00"), {})
    # The plan page says why the new owner's plan counts the whole turnover.
    head_client = client
    head_client.force_login(head)
    html = head_client.get(reverse("plan_detail", args=[theirs.pk])).content.decode()
    assert 'data-testid="moved-in"' in html


def test_the_owner_on_the_first_day_of_the_plan_month_is_read_from_the_ownership_history(manager, other_manager, head):
    """A plan regenerated after a reassignment on the 10th still reads the clients owned on the 1st."""
    from crm.services.clients import client_reassign

    kept = ClientFactory(owner=manager, name="Был у меня 1-го")
    for month in (JAN, FEB, MAR, APR):
        sell(manager, kept, month, 10_000)
    plan_before = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    client_reassign(client=kept, to_owner=other_manager, by=head, reason="Позже", today=date(2026, 5, 10))

    assert "Был у меня 1-го" in lines_of(plan_before)
    # The new ownership began on 10 May: on 1 May the client was still the first manager's.
    again = plan_generate(manager=manager, month=MAY, target=D("100001"), by=head)
    assert "Был у меня 1-го" in lines_of(again)


def test_unpaid_lines_count_as_turnover(manager, head):
    client = ClientFactory(owner=manager, name="Долг")
    sell(manager, client, JAN, 10_000)
    sell(manager, client, FEB, 10_000, paid=False)
    sell(manager, client, MAR, 10_000, paid=False)
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert lines_of(plan)["Долг"].months_with_purchases == 3
    assert plan.window_total == D("30000.00")


def test_an_empty_history_plans_everything_as_active_sales(manager, head):
    plan = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    assert (plan.regular_total, plan.average_monthly, plan.one_off, plan.window_total) == (0, 0, 0, 0)
    assert plan.active_gap == plan.target == D("250000.00")
    assert plan.active_existing == plan.active_new == D("125000.00")
    assert plan.lines.count() == 0
    assert gap_warning(plan.target, plan.active_gap)


def test_a_target_below_the_history_gives_a_negative_gap_with_no_active_split(manager, head):
    worked_example(manager)
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert plan.active_gap == D("-59000.00")
    assert (plan.active_existing, plan.active_new, plan.cross_sell_cover) == (0, 0, 0)
    assert gap_warning(plan.target, plan.active_gap)


def test_the_window_is_the_four_full_months_before_the_plan_month_across_a_year_end():
    assert window_months(date(2026, 2, 17)) == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert window_bounds(date(2026, 3, 1)) == (date(2025, 11, 1), date(2026, 2, 28))


def test_the_history_is_read_with_one_aggregate_query(manager, head):
    worked_example(manager)
    with CaptureQueriesContext(connection) as captured:
        plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    history = [q["sql"] for q in captured.captured_queries if "crm_saleline" in q["sql"]]
    assert len(history) == 1
    assert "GROUP BY" in history[0]


# --- inputs and permissions --------------------------------------------------------------------------------------


def test_shares_outside_their_bands_and_a_negative_target_are_refused_by_field(manager, head):
    with pytest.raises(ValidationError) as caught:
        plan_generate(
            manager=manager,
            month=MAY,
            target=D("-1"),
            by=head,
            one_off_share=D("0.3"),
            active_existing_share=D("0.7"),
        )
    assert set(caught.value.message_dict) == {"target", "one_off_share", "active_existing_share"}
    assert not Plan.objects.exists()


def test_a_manager_setting_his_own_t_is_refused_and_nothing_changes(manager, other_manager):
    for whose in (manager, other_manager):
        with pytest.raises(PermissionDenied):
            plan_generate(manager=whose, month=MAY, target=D("1000"), by=manager)
    assert not Plan.objects.exists()


def test_a_team_lead_sets_his_teams_plans_only_when_the_head_allows_it(team_lead, manager, other_manager):
    from crm.models import DepartmentSettings

    with pytest.raises(PermissionDenied):
        plan_generate(manager=manager, month=MAY, target=D("1000"), by=team_lead)
    settings = DepartmentSettings.current()
    settings.team_leads_set_plans = True
    settings.save()
    assert plan_generate(manager=manager, month=MAY, target=D("1000"), by=team_lead).target == D("1000.00")
    with pytest.raises(PermissionDenied):
        plan_generate(manager=other_manager, month=MAY, target=D("1000"), by=team_lead)  # not his team


def test_a_plan_is_only_for_sellers(head, base_manager):
    with pytest.raises(ValidationError) as caught:
        plan_generate(manager=base_manager, month=MAY, target=D("1000"), by=head)
    assert "manager" in caught.value.message_dict


# --- versions and approval ---------------------------------------------------------------------------------------


def test_generating_again_with_the_same_inputs_returns_the_same_draft(manager, head):
    worked_example(manager)
    first = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    again = plan_generate(manager=manager, month=MAY, target=D("250000.00"), by=head)
    assert again.pk == first.pk
    assert Plan.objects.count() == 1


def test_new_history_or_other_inputs_make_a_new_version_and_supersede_the_draft(manager, head):
    clients = worked_example(manager)
    first = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    sell(manager, clients["Delta"], MAR, 5_000)  # Delta now has 3 months
    second = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    third = plan_generate(manager=manager, month=MAY, target=D("260000"), by=head)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert [first.status, second.status, third.status] == ["superseded", "superseded", "draft"]
    assert "Delta" in lines_of(second)


def test_an_approved_plan_is_frozen_and_a_new_generation_is_a_draft_next_to_it(manager, head):
    worked_example(manager)
    approved = plan_approve(plan=plan_generate(manager=manager, month=MAY, target=D("250000"), by=head), by=head)
    same = plan_generate(manager=manager, month=MAY, target=D("250000"), by=head)
    assert same.pk == approved.pk

    draft = plan_adjust(plan=approved, target=D("240000"), active_existing_share=D("0.6"), by=head)
    approved.refresh_from_db()
    assert (approved.status, approved.target, approved.version) == ("approved", D("250000.00"), 1)
    assert (draft.status, draft.target, draft.active_existing_share, draft.version) == (
        "draft",
        D("240000.00"),
        D("0.6000"),
        2,
    )

    plan_approve(plan=draft, by=head)
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert (approved.status, draft.status) == ("superseded", "approved")
    assert draft.approved_by == head


def test_only_the_head_approves_and_adjusts(manager, team_lead, head):
    plan = plan_generate(manager=manager, month=MAY, target=D("1000"), by=head)
    for user in (manager, team_lead):
        with pytest.raises(PermissionDenied):
            plan_approve(plan=plan, by=user)
        with pytest.raises(PermissionDenied):
            plan_adjust(plan=plan, target=D("2000"), active_existing_share=D("0.5"), by=user)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_superseded_version_cannot_be_approved(manager, head):
    old = plan_generate(manager=manager, month=MAY, target=D("1000"), by=head)
    plan_generate(manager=manager, month=MAY, target=D("2000"), by=head)
    old.refresh_from_db()
    with pytest.raises(ValidationError):
        plan_approve(plan=old, by=head)


# --- nightly drafts ----------------------------------------------------------------------------------------------


def test_the_nightly_drafts_every_seller_without_a_plan_on_the_first_only(manager, other_manager, head):
    worked_example(manager)
    UserFactory(role=Role.MANAGER, is_active=False)
    previous = plan_generate(manager=other_manager, month=APR, target=D("123456"), by=head)
    plan_approve(plan=previous, by=head)

    assert plan_drafts_generate(date(2026, 5, 2)) == {"drafted": 0, "lines": 0}
    counts = plan_drafts_generate(MAY)
    assert counts == {"drafted": 2, "lines": 2}
    mine = Plan.objects.get(manager=manager, month=MAY)
    theirs = Plan.objects.get(manager=other_manager, month=MAY)
    assert (mine.status, mine.version, mine.target) == ("draft", 1, D("215000.00"))  # A = 215 000
    assert mine.regular_total == D("145000.00")
    assert theirs.target == D("123456.00")  # last month's approved target

    assert plan_drafts_generate(MAY) == {"drafted": 0, "lines": 0}
    assert Plan.objects.filter(month=MAY).count() == 2


def test_the_nightly_draft_target_is_a_rounded_to_whole_thousands(manager):
    client = ClientFactory(owner=manager)
    sell(manager, client, APR, 10_002)  # A = 2 500.50 -> 3 000
    plan_drafts_generate(MAY)
    assert Plan.objects.get(manager=manager, month=MAY).target == D("3000.00")


def test_the_nightly_reads_the_history_with_a_constant_number_of_queries(head):
    def run(n, month):
        for _i in range(n):
            seller = UserFactory(role=Role.MANAGER)
            sell(seller, ClientFactory(owner=seller), JAN, 1_000)
        with CaptureQueriesContext(connection) as captured:
            plan_drafts_generate(month)
        return len(captured)

    assert run(2, MAY) == run(12, date(2026, 6, 1))


def test_the_plan_drafts_job_is_registered_with_the_nightly_run():
    from salesdept.nightly import NIGHTLY_JOBS

    assert plan_drafts_generate in [job.run for job in NIGHTLY_JOBS]


# --- a January plan month: the window crosses the year, the month has the New Year holidays ----------------------


def test_a_january_plan_reads_september_to_december_of_the_year_before(manager, head):
    january = date(2027, 1, 1)
    sep, oct_, nov, dec = window_months(january)
    assert (sep, dec) == (date(2026, 9, 1), date(2026, 12, 1))
    steady = ClientFactory(name="Alfa", owner=manager)
    for month, amount in zip((sep, oct_, nov, dec), (100_000, 120_000, 80_000, 100_000), strict=True):
        sell(manager, steady, month, amount)
    sell(manager, steady, date(2026, 8, 1), 999_999)  # before the window
    sell(manager, steady, january, 999_999)  # the plan month itself

    plan = plan_generate(manager=manager, month=january, target=D("250000"), by=head, active_existing_share=D("0.5"))

    assert (plan.window_start, plan.window_end) == (date(2026, 9, 1), date(2026, 12, 31))
    assert plan.window_total == D("400000.00")
    assert plan.regular_total == D("100000.00")  # 400 000 / 4
    assert plan.average_monthly == D("100000.00")
    assert plan.one_off == D("0.00")
    assert plan.active_gap == D("150000.00")  # 250 000 - 100 000 - 0
    assert plan.active_existing == plan.active_new == D("75000.00")


def test_the_nightly_drafts_the_january_plan_on_the_first_of_january(manager):
    counts = plan_drafts_generate(date(2027, 1, 1))
    assert counts["drafted"] == 1
    assert Plan.objects.get(manager=manager).month == date(2027, 1, 1)


def test_the_nightly_drafts_write_the_same_lines_by_copy_as_through_the_orm(manager, monkeypatch):
    # The worked example through the nightly's drafts: COPY on PostgreSQL, bulk_create elsewhere (SQLite, `make run`).
    worked_example(manager)
    written = {}
    for vendor in ("postgresql", "sqlite"):
        Plan.objects.filter(month=MAY).delete()
        monkeypatch.setattr(connection, "vendor", vendor)
        counts = plan_drafts_generate(MAY)
        monkeypatch.undo()
        plan = Plan.objects.get(month=MAY, manager=manager)
        written[vendor] = (
            counts,
            sorted(
                (line.client.name, line.months_with_purchases, line.window_total, line.monthly, line.plan_amount)
                for line in plan.lines.select_related("client")
            ),
        )
    assert written["postgresql"] == written["sqlite"]
    assert written["postgresql"][1][0] == (
        "Alfa",
        4,
        D("400000.00"),
        ["100000.00", "120000.00", "80000.00", "100000.00"],
        D("100000.00"),
    )
