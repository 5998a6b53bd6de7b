"""Plan/fact by day (fixed dates): paid sales by the day the money came, the plan over working days, the forecast,
new vs existing clients, and who sees whose figures."""

from datetime import date
from decimal import Decimal

from core.calendar import WorkCalendar
from crm.models import DepartmentSettings
from planning.models import Plan
from planning.selectors.factual import Series, plan_fact
from tests.crm.factories import ClientFactory, SaleLineFactory

MAY = date(2026, 5, 1)
# Wednesday. May 2026 has 19 working days (1 May and 11 May are public holidays); passed: 4-8, 12, 13 = 7 of 19.
TODAY = date(2026, 5, 13)


def make_plan(manager, target, *, status=Plan.Status.APPROVED, version=1):
    return Plan.objects.create(
        manager=manager,
        month=MAY,
        version=version,
        status=status,
        target=Decimal(target),
        window_start=date(2026, 1, 1),
        window_end=date(2026, 4, 30),
    )


def test_cumulative_fact_plan_line_and_forecast_arithmetic():
    series = Series(
        name="x",
        month=MAY,
        today=TODAY,
        target=Decimal("190000"),
        fact_existing={date(2026, 5, 4): Decimal("30000"), date(2026, 5, 12): Decimal("50000")},
        fact_new={date(2026, 5, 12): Decimal("10000"), date(2026, 5, 20): Decimal("7")},  # after today: ignored
    )
    rows = {row["date"]: row for row in series.rows()}

    assert series.fact == Decimal("90000")
    assert series.working_passed == 7
    assert series.plan_to_date == Decimal("70000.00")  # 190 000 / 19 x 7
    assert series.forecast == Decimal("244285.71")  # 90 000 / 7 x 19 = 244 285.714...
    assert series.percent == Decimal("47.37")  # 90 000 / 190 000
    assert rows[date(2026, 5, 1)]["plan"] == Decimal("0.00")  # Labour Day adds nothing
    assert rows[date(2026, 5, 3)]["plan"] == Decimal("0.00")  # nor does a Sunday
    assert rows[date(2026, 5, 4)]["plan"] == Decimal("10000.00")
    assert rows[date(2026, 5, 11)]["plan"] == Decimal("50000.00")  # Victory Day (moved from Saturday) neither
    assert rows[date(2026, 5, 4)]["cumulative"] == Decimal("30000.00")
    assert rows[date(2026, 5, 12)]["fact"] == Decimal("60000.00")
    assert rows[date(2026, 5, 13)]["cumulative"] == Decimal("90000.00")
    assert rows[date(2026, 5, 14)]["cumulative"] is None
    assert rows[date(2026, 5, 13)]["forecast"] == Decimal("90000.00")
    assert rows[date(2026, 5, 31)]["forecast"] == Decimal("244285.71")
    assert rows[date(2026, 5, 31)]["plan"] == Decimal("190000.00")


def test_the_heads_correction_of_the_calendar_changes_the_pace():
    # The head makes 11 May a working day: 20 working days, 8 passed by 13 May.
    corrected = WorkCalendar(overrides={date(2026, 5, 11): True})
    series = Series(name="x", month=MAY, today=TODAY, target=Decimal("200000"), calendar=corrected)
    series.fact_existing = {date(2026, 5, 4): Decimal("80000")}
    assert (len(series.working), series.working_passed) == (20, 8)
    assert series.plan_to_date == Decimal("80000.00")  # 200 000 / 20 x 8
    assert series.forecast == Decimal("200000.00")  # 80 000 / 8 x 20


def test_forecast_before_the_first_working_day_is_zero_not_a_division_by_zero():
    series = Series(name="x", month=date(2026, 8, 1), today=date(2026, 7, 31), target=Decimal("100"))
    assert series.working_passed == 0 and series.forecast == 0


def test_fact_counts_paid_lines_by_the_day_the_money_came(manager):
    make_plan(manager, "210000")
    client = ClientFactory(owner=manager)
    SaleLineFactory(client=client, date=date(2026, 1, 20), amount=Decimal("1"))  # history: existing client
    SaleLineFactory(client=client, date=date(2026, 4, 28), paid_date=date(2026, 5, 4), amount=Decimal("30000"))
    SaleLineFactory(client=client, date=date(2026, 5, 6), amount=Decimal("20000"))  # paid the same day
    SaleLineFactory(client=client, date=date(2026, 5, 7), is_paid=False, amount=Decimal("55555"))  # unpaid
    SaleLineFactory(client=client, date=date(2026, 5, 8), paid_date=date(2026, 6, 2), amount=Decimal("44444"))

    result = plan_fact(user=manager, month=MAY, today=TODAY)

    series = result.managers[0].series
    assert series.fact_existing == {date(2026, 5, 4): Decimal("30000.00"), date(2026, 5, 6): Decimal("20000.00")}
    assert series.fact == Decimal("50000.00") and series.target == Decimal("210000")


def test_new_client_means_no_purchase_in_the_five_months_before(manager):
    make_plan(manager, "100000")
    recent = ClientFactory(owner=manager)
    lapsed = ClientFactory(owner=manager)
    fresh = ClientFactory(owner=manager)
    SaleLineFactory(client=recent, date=date(2025, 12, 1), amount=Decimal("1"))  # inside Dec..Apr
    SaleLineFactory(client=lapsed, date=date(2025, 11, 30), amount=Decimal("1"))  # 6 months back
    for client, amount in ((recent, "1000"), (lapsed, "200"), (fresh, "30")):
        SaleLineFactory(client=client, date=date(2026, 5, 5), amount=Decimal(amount))

    series = plan_fact(user=manager, month=MAY, today=TODAY).total
    assert (series.fact_existing_total, series.fact_new_total) == (Decimal("1000.00"), Decimal("230.00"))

    settings = DepartmentSettings.current()
    settings.new_client_after_months = 6
    settings.save()
    series = plan_fact(user=manager, month=MAY, today=TODAY).total
    assert (series.fact_existing_total, series.fact_new_total) == (Decimal("1200.00"), Decimal("30.00"))


def people_with_sales(manager, teammate, other_manager):
    for person, target, amount in (
        (manager, "100000", "1000"),
        (teammate, "200000", "2000"),
        (other_manager, "50000", "4000"),
    ):
        make_plan(person, target)
        SaleLineFactory(client=ClientFactory(owner=person), date=date(2026, 5, 5), amount=Decimal(amount))


def test_head_sees_every_manager_each_team_and_the_department(head, manager, teammate, other_manager):
    people_with_sales(manager, teammate, other_manager)
    result = plan_fact(user=head, month=MAY, today=TODAY)

    assert {str(m.manager.username): m.series.fact for m in result.managers} == {
        "ivanov": Decimal("1000.00"),
        "sidorov": Decimal("2000.00"),
        "petrov": Decimal("4000.00"),
    }
    assert {t.name: (t.target, t.fact) for t in result.teams} == {
        "Группа 1": (Decimal("300000"), Decimal("3000.00")),
        "Группа 2": (Decimal("50000"), Decimal("4000.00")),
    }
    assert (result.total.target, result.total.fact) == (Decimal("350000"), Decimal("7000.00"))


def test_team_lead_sees_his_team_and_a_manager_only_himself(team_lead, manager, teammate, other_manager):
    people_with_sales(manager, teammate, other_manager)

    lead_view = plan_fact(user=team_lead, month=MAY, today=TODAY)
    own_view = plan_fact(user=manager, month=MAY, today=TODAY)

    assert {m.manager.username for m in lead_view.managers} == {"lead", "ivanov", "sidorov"}
    assert lead_view.total.fact == Decimal("3000.00")
    assert [m.manager.username for m in own_view.managers] == ["ivanov"]
    assert (own_view.total.target, own_view.total.fact) == (Decimal("100000"), Decimal("1000.00"))


def test_only_the_approved_plans_target_counts_never_a_draft(manager):
    make_plan(manager, "100000", status=Plan.Status.DRAFT, version=1)
    result = plan_fact(user=manager, month=MAY, today=TODAY)
    assert (result.total.target, result.managers[0].plan_id) == (Decimal("0"), None)
    make_plan(manager, "90000", status=Plan.Status.APPROVED, version=2)
    make_plan(manager, "120000", status=Plan.Status.DRAFT, version=3)
    assert plan_fact(user=manager, month=MAY, today=TODAY).total.target == Decimal("90000")
