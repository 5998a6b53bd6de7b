"""The funnel from the stage history: both views, durations (median, p75), conversion, the stage that loses most,
the drill-downs that match the bars, the purchase funnel, and each role's figures."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.rules.funnel import Durations
from analytics.selectors.funnel import (
    COHORT,
    PERIOD,
    FunnelQuery,
    funnel_drill,
    funnel_headline,
    funnel_report,
    purchase_drill,
    purchase_report,
)
from crm.rules.stages import PIPELINE
from tests.analytics.funnel_world import add_deals, funnel_world

pytestmark = pytest.mark.django_db
D = Decimal
DAY = 86400.0
NOV = FunnelQuery(view=PERIOD, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), as_of=date(2026, 11, 30))
OCT_COHORT = FunnelQuery(view=COHORT, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), as_of=date(2026, 11, 30))


@pytest.fixture
def world(manager, other_manager):
    return funnel_world(manager, other_manager)


def counts(funnel):
    return [row.count for row in funnel.stages]


def test_period_view_counts_deals_that_entered_each_stage_in_the_period(head, world):
    funnel = funnel_report(head, NOV)
    # goal: A, B, C (D entered it in October); market: A, B, C, D; prospect_list: B, C; then C alone to fulfilment.
    assert counts(funnel) == [3, 4, 2] + [1] * 9 + [0, 0]
    assert [row.of_previous for row in funnel.stages[:3]] == [None, D("133.3"), D("50.0")]
    assert [row.of_first for row in funnel.stages[:3]] == [D("100.0"), D("133.3"), D("66.7")]
    assert (funnel.won, funnel.lost, funnel.conversion) == (1, 1, D("50.0"))
    assert funnel.worst_stage == "market" and funnel.worst_reasons == [("Цена", 1)]


def test_stage_durations_are_the_stays_that_ended_in_the_period(head, world):
    funnel = funnel_report(head, NOV)
    goal, market = funnel.stages[0].durations, funnel.stages[1].durations
    # goal: A 2, B 1, C 1, D 16 days; market: A 6 (then lost), B 4, C 1 (D is still there).
    assert (goal.count, goal.median_days, goal.p75_days) == (4, D("1.5"), D("5.5"))
    assert (market.count, market.median_days, market.p75_days, market.mean_days) == (3, D("4.0"), D("5.0"), D("3.7"))
    assert funnel.stages[1].durations == Durations.of([6 * DAY, 4 * DAY, 1 * DAY])  # the SQL equals the rule
    assert (funnel.cycle.count, funnel.cycle.median_days) == (1, D("11.0"))
    assert funnel.average_won == D("300000.00")


def test_cohort_view_follows_the_deals_created_in_the_period(head, world):
    funnel = funnel_report(head, OCT_COHORT)
    assert counts(funnel) == [1, 1] + [0] * 12  # D, created in October, reached market
    assert (funnel.won, funnel.lost, funnel.conversion) == (0, 0, None)
    november = funnel_report(head, FunnelQuery(**{**NOV.__dict__, "view": COHORT}))
    # A, B, C created in November: every one reached goal and market, B and C prospect_list...
    assert counts(november) == [3, 3, 2] + [1] * 9 + [0, 0]


@pytest.mark.parametrize("query", [NOV, OCT_COHORT, FunnelQuery(**{**NOV.__dict__, "view": COHORT})])
def test_every_bar_drills_down_to_as_many_deals(head, world, query):
    funnel = funnel_report(head, query)
    for code, row in zip(PIPELINE, funnel.stages, strict=True):
        assert funnel_drill(head, query, code).count() == row.count, code
    assert funnel_drill(head, query, "won").count() == funnel.won
    assert funnel_drill(head, query, "lost").count() == funnel.lost


def test_the_lost_drill_down_of_a_stage(head, world):
    assert list(funnel_drill(head, NOV, "lost", "market").values_list("title", flat=True)) == ["A"]
    assert not funnel_drill(head, NOV, "lost", "goal").exists()


@pytest.mark.parametrize(("who", "goal"), [("head", 3), ("team_lead", 2), ("manager", 2), ("other_manager", 1)])
def test_each_role_counts_its_own_deals(request, world, who, goal):
    assert funnel_report(request.getfixturevalue(who), NOV).stages[0].count == goal


def test_service_owner_has_an_empty_funnel(service_owner, world):
    assert sum(counts(funnel_report(service_owner, NOV))) == 0


def test_slices_filter_the_deals(head, manager, world):
    assert funnel_report(head, FunnelQuery(**{**NOV.__dict__, "manager_id": manager.pk})).stages[0].count == 2
    assert funnel_report(head, FunnelQuery(**{**NOV.__dict__, "team_id": manager.team_id})).stages[0].count == 2
    assert funnel_report(head, FunnelQuery(**{**NOV.__dict__, "channel": "tender"})).stages[0].count == 0
    # Nobody bought in the months before November: every deal is a new client's.
    assert funnel_report(head, FunnelQuery(**{**NOV.__dict__, "client_kind": "new"})).stages[0].count == 3
    assert funnel_report(head, FunnelQuery(**{**NOV.__dict__, "client_kind": "existing"})).stages[0].count == 0


def test_purchase_funnel_of_first_buyers(head, manager, world):
    assert [s.clients for s in purchase_report(head, NOV)] == [2, 1, 1]  # X 3 purchases, Y 1, Z bought before
    assert [s.clients for s in purchase_report(manager, NOV)] == [1, 1, 1]  # X only
    assert sorted(purchase_drill(head, NOV, 1).values_list("name", flat=True)) == ["X", "Y"]
    assert list(purchase_drill(head, NOV, 3).values_list("name", flat=True)) == ["X"]


def test_funnel_headline_is_this_months_conversion(head, manager, world):
    headline = funnel_headline(head, date(2026, 11, 30))
    assert headline is not None and headline.value == "50.0 %" and "1" in headline.detail
    assert funnel_headline(manager, date(2026, 11, 30)).value == "0.0 %"  # A lost, nothing won
    assert funnel_headline(head, date(2026, 8, 31)) is None


def test_report_query_count_does_not_grow_with_deals(head, manager, other_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deals = funnel_world(manager, other_manager)
    sizes = []
    for extra in (0, 20):
        add_deals(deals["A"].client, deals["C"].client, extra)
        with CaptureQueriesContext(connection) as captured:
            funnel_report(head, NOV)
            purchase_report(head, NOV)
        sizes.append(len(captured))
    assert sizes[0] == sizes[1] <= 12
