"""The head's dashboard, its exports, the morning sheet and the weekly PDF: figures, visibility, query counts."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from analytics.selectors.dashboard import Kpi, dashboard, my_day_figures
from analytics.selectors.headlines import _HEADLINES, Headline, headline_register
from analytics.selectors.morning import morning_sheet, previous_working_day
from crm.models import Activity, Client, ColdCallNorm, DealStageChange, DepartmentSettings
from crm.rules.stages import Stage
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory
from tests.planning.factories import PlanFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)  # a Friday; November 2026 has 20 working days, 14 passed by the 20th (4.11 is a holiday)
NOV = date(2026, 11, 1)
D = Decimal


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def world(manager, teammate, other_manager):
    """Plans 100 000 / 200 000 / 50 000; paid 50 000 / 40 000 / 60 000; activities, proposals and deals."""
    for person, target, paid in ((manager, 100000, 50000), (teammate, 200000, 40000), (other_manager, 50000, 60000)):
        PlanFactory(manager=person, month=NOV, target=D(target))
        buyer = ClientFactory(owner=person, name=f"Клиент {person.username}")
        SaleLineFactory(client=buyer, manager=person, date=date(2026, 11, 10), amount=D(paid))
    mine = ClientFactory(owner=manager, name="Мой")
    for i in range(3):
        ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.CALL, done_at=at(date(2026, 11, 2 + i)))
    ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.MEETING, done_at=at(date(2026, 11, 19)))
    ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.CALL, done_at=at(date(2026, 10, 30)))  # October
    deal = DealFactory(client=mine, stage=Stage.PROPOSAL, amount=D("80000"), probability=50)
    DealStageChange.objects.create(deal=deal, from_stage=Stage.FIRST_MEETING, to_stage=Stage.PROPOSAL, at=at(AS_OF))
    DealStageChange.objects.create(deal=deal, from_stage=Stage.PROPOSAL, to_stage=Stage.PROPOSAL, at=at(AS_OF, 11))
    deal.expected_close_date = date(2026, 11, 24)
    deal.save()
    DealFactory(
        client=ClientFactory(owner=other_manager),
        stage=Stage.CONTRACT,
        amount=D("40000"),
        probability=75,
        expected_close_date=date(2026, 11, 18),
    )
    ColdCallNorm.objects.create(manager=manager, daily_calls=10)
    return deal


def test_the_figures_add_up_by_hand(world, head, manager, teammate, other_manager):
    board = dashboard(user=head, as_of=AS_OF)
    rows = {row.manager.username: row for row in board.managers}

    assert board.working_days_passed == 14
    assert board.total.target == D("350000") and board.total.fact == D("150000")
    assert [rows[n].series.percent for n in (manager.username, teammate.username, other_manager.username)] == [
        D("50.00"),
        D("20.00"),
        D("120.00"),
    ]
    assert board.best.manager == other_manager and board.worst.manager == teammate
    kpis = rows[manager.username].kpis
    assert (kpis.calls.done, kpis.calls.norm) == (3, D("140"))  # own norm 10 a day x 14 working days
    assert (kpis.meetings.done, kpis.meetings.norm) == (1, D("28"))  # 2 a day
    assert (kpis.proposals.done, kpis.proposals.norm) == (1, D("14"))  # one deal, counted once
    assert rows[teammate.username].kpis.calls.per_day == D(DepartmentSettings.current().default_cold_calls)
    stages = {row.stage: row for row in board.pipeline}
    assert (stages[Stage.PROPOSAL].count, stages[Stage.PROPOSAL].weighted) == (1, D("40000.00"))
    assert (stages[Stage.CONTRACT].count, stages[Stage.CONTRACT].weighted) == (1, D("30000.00"))
    assert board.pipeline_weighted == D("70000.00")
    # left to plan: 50 000 + 160 000 + 0; the weighted pipeline (70 000) is too small
    assert board.left_to_plan == D("200000") and board.pipeline_too_small
    assert rows[manager.username].pipeline_too_small  # 40 000 < 50 000
    assert not rows[other_manager.username].pipeline_too_small  # over plan already
    week = {d.day: d for d in board.payments_week}
    assert list(week) == [date(2026, 11, d) for d in range(16, 23)]
    assert week[date(2026, 11, 18)].amount == D("40000.00") and board.payments_week_total.weighted == D("30000.00")
    assert board.payments_month_total.amount == D("120000.00")
    assert (board.overdue_payments.count, board.overdue_payments.amount) == (1, D("40000.00"))


@pytest.mark.parametrize(
    ("done", "per_day", "days", "norm", "percent", "met"),
    [
        (3, D("10"), 15, D("150"), D("2.00"), False),
        (30, D("2"), 15, D("30"), D("100.00"), True),
        (0, D("0"), 5, 0, None, True),
    ],
)
def test_a_kpi_against_its_norm(done, per_day, days, norm, percent, met):
    kpi = Kpi(done, per_day, days)
    assert (kpi.norm, kpi.percent, kpi.met) == (norm, percent, met)


def test_a_registered_headline_is_shown_and_the_lost_count_gives_way_to_it(client, head, world):
    ClientFactory(owner=head, status=Client.Status.LOST, name="Ушёл")
    client.force_login(head)
    saved = dict(_HEADLINES)
    try:
        # Without a "lost" headline the dashboard counts the month's lost clients itself.
        _HEADLINES.pop("lost", None)
        assert dashboard(user=head, as_of=date.today()).lost_this_month == 1
        headline_register(
            "lost", lambda user, as_of: Headline("lost", "Потеряно клиентов", "7", "7 клиентов за месяц", "/x/", "bad")
        )
        assert dashboard(user=head, as_of=date.today()).lost_this_month is None
        html = client.get(reverse("analytics_dashboard")).content.decode()
        assert 'data-testid="dash-headline-lost"' in html and "7 клиентов за месяц" in html
        assert 'data-testid="dash-lost"' not in html
    finally:
        _HEADLINES.clear()
        _HEADLINES.update(saved)


@pytest.mark.parametrize(
    ("who", "status", "names"),
    [
        ("head", 200, {"manager", "teammate", "other_manager", "team_lead"}),
        ("admin_user", 200, {"manager", "teammate", "other_manager", "team_lead"}),
        ("team_lead", 200, {"manager", "teammate", "team_lead"}),
        ("manager", 200, {"manager"}),
        ("other_manager", 200, {"other_manager"}),
        ("vip_head", 200, set()),
        ("service_owner", 403, set()),
        ("base_manager", 403, set()),
    ],
)
def test_each_role_sees_its_own_rows(request, client, world, team_lead, who, status, names):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for url in (
        reverse("analytics_dashboard"),
        reverse("analytics_morning"),
        reverse("analytics_dashboard_export", args=["managers"]),
        reverse("analytics_dashboard_export", args=["pipeline"]),
    ):
        assert client.get(url).status_code == status, url
    if status == 200:
        board = dashboard(user=user, as_of=AS_OF)
        expected = {request.getfixturevalue(name).username for name in names}
        assert {row.manager.username for row in board.managers} == expected
        assert {row.manager.username for row in morning_sheet(user=user, today=AS_OF).rows} == expected
        seen_deals = sum(row.count for row in board.pipeline)
        assert seen_deals == {"head": 2, "admin_user": 2, "team_lead": 1, "manager": 1, "other_manager": 1}.get(who, 0)


def test_a_bad_table_or_date_is_not_a_500(client, head):
    client.force_login(head)
    assert client.get(reverse("analytics_dashboard_export", args=["nope"])).status_code == 404
    assert client.get(reverse("analytics_dashboard") + "?as_of=2026-13-45").status_code == 200


def test_the_head_and_the_team_lead_get_the_dashboard_at_home_and_keep_their_cards(client, head, team_lead, manager):
    client.force_login(head)
    html = client.get("/").content.decode()
    assert 'data-testid="home-dashboard"' in html and 'data-testid="dashboard"' in html
    client.force_login(team_lead)
    assert 'data-testid="home-dashboard"' in client.get("/").content.decode()
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert 'data-testid="home-dashboard"' not in html and 'data-testid="my-figures"' in html


def test_the_manager_sees_his_kpis_and_his_place_on_my_day(world, manager, teammate, other_manager):
    mine = my_day_figures(manager, AS_OF)
    assert (mine.place, mine.ranked, mine.percent) == (2, 3, D("50.00"))
    assert mine.kpis.calls.done == 3 and not mine.is_best and not mine.is_worst
    assert my_day_figures(teammate, AS_OF).is_worst and my_day_figures(other_manager, AS_OF).is_best


def test_the_morning_sheet_is_yesterday_fact_and_today_plan(world, manager):
    monday = date(2026, 11, 23)
    assert previous_working_day(monday) == date(2026, 11, 20)
    mine = ClientFactory(owner=manager)
    ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.CALL, done_at=at(date(2026, 11, 20)))
    ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.CALL, done_at=None, due_at=at(monday, 12))
    ActivityFactory(client=mine, owner=manager, kind=Activity.Kind.MEETING, done_at=None, due_at=at(monday, 14))
    SaleLineFactory(client=mine, manager=manager, date=date(2026, 11, 20), amount=D("7000"))
    DealFactory(client=mine, stage=Stage.CONTRACT, amount=D("30000"), expected_close_date=monday)
    row = morning_sheet(user=manager, today=monday).rows[0]
    assert (row.calls.done, row.calls.norm, row.proposals.done) == (1, D("10"), 1)
    assert (row.paid_yesterday, row.calls_today, row.meetings_today) == (D("7000.00"), 1, 1)
    assert (row.expected_today, row.expected_today_count) == (D("30000.00"), 1)


def _more(manager, n):
    for i in range(n):
        buyer = ClientFactory(owner=manager)
        DealFactory(client=buyer, stage=Stage.PROPOSAL, expected_close_date=date(2026, 11, 1 + i % 28))
        ActivityFactory(client=buyer, owner=manager, kind=Activity.Kind.CALL, done_at=at(date(2026, 11, 3)))
        SaleLineFactory(client=buyer, manager=manager, date=date(2026, 11, 4))


@pytest.mark.parametrize("name", ["analytics_dashboard", "analytics_morning"])
def test_the_pages_make_a_fixed_number_of_queries(client, head, manager, teammate, name, django_assert_max_num_queries):
    client.force_login(head)
    client.get(reverse(name))  # the settings rows are created on the first visit
    counts = []
    for n in (2, 20):
        _more(manager, n)
        _more(teammate, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name) + "?as_of=2026-11-20").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(reverse(name) + "?as_of=2026-11-20")
