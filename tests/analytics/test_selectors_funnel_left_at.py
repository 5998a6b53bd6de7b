"""The funnel's stays read from `DealStageChange.left_at` equal the computation they replace: the deal's next change
found by a window (LEAD) over the history before the end of the view, for both views, every scope, and histories with
moves back, losses and stays across the period's bounds."""

import random
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from analytics.selectors.funnel import (
    COHORT,
    PERIOD,
    FunnelQuery,
    _deal_scope,
    _durations,
    _reached,
    _seconds_sql,
    _stage_number_sql,
    _stays,
    funnel_deals,
    funnel_report,
)
from crm.models import Deal, DealStageChange
from crm.rules.stages import PIPELINE, Stage
from tests.analytics.funnel_world import funnel_world
from tests.crm.factories import ClientFactory, DealFactory

pytestmark = pytest.mark.django_db
QUERIES = [
    FunnelQuery(view=PERIOD, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), as_of=date(2026, 11, 30)),
    FunnelQuery(view=PERIOD, date_from=date(2026, 10, 10), date_to=date(2026, 11, 12), as_of=date(2026, 11, 30)),
    FunnelQuery(view=COHORT, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), as_of=date(2026, 11, 30)),
    FunnelQuery(view=COHORT, date_from=date(2026, 10, 1), date_to=date(2026, 11, 30), as_of=date(2026, 11, 15)),
]


def window_stays(query: FunnelQuery, deals_sql: str, deals_params: tuple) -> dict:
    """The former computation (before `left_at`), kept here as the reference."""
    changes = DealStageChange._meta.db_table
    ended = " AND left_at >= %s" if query.view == PERIOD else ""
    in_deals = f" AND deal_id {deals_sql}" if deals_sql else ""
    sql = (
        f"SELECT to_stage AS k, {_seconds_sql('left_at', 'at')} AS secs FROM (SELECT to_stage, at,"
        " LEAD(at) OVER (PARTITION BY deal_id ORDER BY at) AS left_at"
        f" FROM {changes} WHERE at < %s{in_deals}) AS h"
        f" WHERE left_at IS NOT NULL AND to_stage <> %s{ended}"
    )
    params = (query.end, *deals_params, Stage.LOST.value) + ((query.start,) if query.view == PERIOD else ())
    return _durations(sql, params)


def grouped_reached(query: FunnelQuery, deals_sql: str, deals_params: tuple) -> dict:
    """The former cohort query (the history grouped per deal of the scope, then joined to the scope), the reference
    of the deals-joined-once one."""
    in_changes = f" AND deal_id {deals_sql}" if deals_sql else ""
    in_deals = f" AND d.id {deals_sql}" if deals_sql else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(h.top, {_stage_number_sql('d.stage')}, {_stage_number_sql('d.lost_from_stage')}) AS n,"
            f" COUNT(*), SUM(d.amount) FROM crm_deal AS d LEFT JOIN (SELECT deal_id,"
            f" MAX({_stage_number_sql('to_stage')}) AS top FROM crm_dealstagechange WHERE at < %s{in_changes}"
            f" GROUP BY deal_id) AS h ON h.deal_id = d.id WHERE 1 = 1{in_deals} GROUP BY 1",
            (query.end, *deals_params, *deals_params),
        )
        return {int(n): (count, amount) for n, count, amount in cursor.fetchall() if n is not None}


def random_histories(manager, other_manager, count: int) -> None:
    """Deals walking forward from September to December 2026, some moved back, some lost."""
    rng = random.Random(13)
    clients = [ClientFactory(owner=manager), ClientFactory(owner=other_manager)]
    for number in range(count):
        deal = DealFactory(client=clients[number % 2], title=f"R{number}")
        at = timezone.make_aware(datetime(2026, 9, 1, 9)) + timedelta(hours=rng.randint(0, 24 * 90))
        position, changes = 0, [DealStageChange(deal=deal, from_stage="", to_stage=Stage.GOAL, at=at)]
        for _ in range(rng.randint(0, 9)):
            at += timedelta(hours=rng.randint(1, 24 * 12), minutes=rng.randint(0, 59))
            if rng.random() < 0.1:
                changes.append(DealStageChange(deal=deal, from_stage=PIPELINE[position], to_stage=Stage.LOST, at=at))
                break
            position = max(0, position - 1) if rng.random() < 0.15 else min(position + 1, len(PIPELINE) - 1)
            changes.append(DealStageChange(deal=deal, from_stage="", to_stage=PIPELINE[position], at=at))
        DealStageChange.objects.bulk_create(changes)
        Deal.objects.filter(pk=deal.pk).update(created_at=changes[0].at)


@pytest.mark.parametrize("who", ["head", "team_lead", "manager", "other_manager"])
@pytest.mark.parametrize("query", QUERIES)
def test_stays_from_left_at_equal_the_window_over_the_history(request, manager, other_manager, who, query):
    funnel_world(manager, other_manager)
    random_histories(manager, other_manager, 60)
    user = request.getfixturevalue(who)
    _deals, deals_sql, deals_params = _deal_scope(funnel_deals(user, query))
    expected = window_stays(query, deals_sql, deals_params)
    found = _stays(query, deals_sql, deals_params)
    assert sorted(found) == sorted(expected)
    assert sum(d.count for d in found.values()) > (20 if who in ("head", "team_lead") else 5)
    for stage, durations in expected.items():
        assert (found[stage].count, found[stage].median, found[stage].p75) == (
            durations.count,
            durations.median,
            durations.p75,
        )
        # The same rows summed in another order: equal to the last bits of a float.
        assert found[stage].mean == pytest.approx(durations.mean, rel=1e-12)


def test_the_whole_report_is_the_same_after_the_history_is_linked_again(head, manager, other_manager):
    funnel_world(manager, other_manager)
    random_histories(manager, other_manager, 30)
    before = [funnel_report(head, query) for query in QUERIES]
    DealStageChange.objects.update(left_at=None)
    DealStageChange.objects.link_history(DealStageChange.objects.values_list("deal_id", flat=True))
    assert [funnel_report(head, query) for query in QUERIES] == before


@pytest.mark.parametrize("who", ["head", "team_lead", "manager", "other_manager"])
@pytest.mark.parametrize("query", [q for q in QUERIES if q.view == COHORT])
def test_cohort_reached_equals_the_grouped_history_query(request, manager, other_manager, who, query):
    funnel_world(manager, other_manager)
    random_histories(manager, other_manager, 60)
    _deals, deals_sql, deals_params = _deal_scope(funnel_deals(request.getfixturevalue(who), query))
    highest = grouped_reached(query, deals_sql, deals_params)
    assert sum(count for count, _amount in highest.values()) > 5
    reached = _reached(query, deals_sql, deals_params)
    for number, stage in enumerate(PIPELINE, start=1):
        at_or_later = [v for n, v in highest.items() if n >= number]
        assert reached[stage][0] == sum(count for count, _ in at_or_later)
        assert reached[stage][1] == sum((amount for _, amount in at_or_later), start=0)
