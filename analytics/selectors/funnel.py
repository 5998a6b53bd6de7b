"""The funnel's figures (DOMAIN.md section 7, seed 003 #1) from the deals' stage history, aggregated in SQL: a few
queries whatever the number of deals, the arithmetic in analytics/rules/funnel.py.

Two views:
- by period: the deals that entered each stage in the period (their stage history), the deals won and lost in it,
  the stays in a stage that ended in it;
- by cohort: the deals created in the period, followed to `as_of`: a stage counts every deal that reached it (its
  highest stage by then), won and lost are the cohort's deals closed by then, and the stays are theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.rules.funnel import (
    Durations,
    Funnel,
    PurchaseStep,
    conversion,
    cumulative_reached,
    funnel_build,
    purchase_funnel,
)
from analytics.selectors.headlines import Headline
from analytics.selectors.scope import clients_in_scope, deals_in_scope, sale_lines_in_scope
from core.calendar import month_start
from crm.models import Client, Deal, DealProduct, DealStageChange, DepartmentSettings, SaleLine
from crm.rules.clients import quiet_since
from crm.rules.stages import ORDER, PIPELINE, WON_STAGES, Stage

if TYPE_CHECKING:
    from crm.models import User

PERIOD, COHORT = "period", "cohort"
ZERO = Decimal("0")


@dataclass(frozen=True)
class FunnelQuery:
    view: str
    date_from: date
    date_to: date
    as_of: date
    category_id: int | None = None
    segment_id: int | None = None
    channel: str = ""
    region: str = ""
    source: str = ""
    client_kind: str = ""  # "", "new", "existing"
    manager_id: int | None = None
    team_id: int | None = None

    @property
    def start(self) -> datetime:
        return _moment(self.date_from)

    @property
    def end(self) -> datetime:
        """The first moment after the period (period view) or after `as_of` (cohort view)."""
        return _moment((self.date_to if self.view == PERIOD else max(self.as_of, self.date_to)) + timedelta(days=1))

    @property
    def period_end(self) -> datetime:
        return _moment(self.date_to + timedelta(days=1))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def new_client_since(query: FunnelQuery) -> date:
    """A client is new in the funnel when it bought nothing in the department's new-client months before the
    period's first month (crm's one definition, `quiet_since`), up to the period's start."""
    return quiet_since(query.date_from, DepartmentSettings.current().new_client_after_months)


def funnel_deals(user: User, query: FunnelQuery) -> QuerySet[Deal]:
    """The deals of the user's scope under the slices (and, in the cohort view, created in the period)."""
    deals = deals_in_scope(user)
    if query.category_id:
        deals = deals.filter(
            Exists(DealProduct.objects.filter(deal=OuterRef("pk"), product__category_id=query.category_id))
        )
    if query.segment_id:
        deals = deals.filter(client__segment_id=query.segment_id)
    if query.channel:
        deals = deals.filter(client__channel=query.channel)
    if query.region:
        deals = deals.filter(client__region__iexact=query.region)
    if query.source:
        deals = deals.filter(client__source=query.source)
    if query.manager_id:
        deals = deals.filter(owner_id=query.manager_id)
    if query.team_id:
        deals = deals.filter(owner__team_id=query.team_id)
    if query.client_kind:
        bought = SaleLine.objects.filter(
            client_id=OuterRef("client_id"), date__gte=new_client_since(query), date__lt=query.date_from
        )
        deals = deals.filter(~Exists(bought) if query.client_kind == "new" else Exists(bought))
    if query.view == COHORT:
        deals = deals.filter(created_at__gte=query.start, created_at__lt=query.period_end)
    return deals.order_by()


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL of a `.values(...)` queryset, to nest in the aggregates; one that selects nothing (a user without
    analytics) becomes a query of no rows."""
    if queryset.query.is_empty():
        columns = ", ".join(queryset.query.values_select)
        return f"SELECT {columns} FROM {queryset.model._meta.db_table} WHERE 1 = 0", ()
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _stage_number_sql(column: str) -> str:
    """The stage's number 1-14 (NULL for `lost`), as the CASE the database can group by."""
    whens = " ".join(f"WHEN '{code}' THEN {number}" for code, number in ORDER.items())
    return f"(CASE {column} {whens} END)"


def _seconds_sql(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))::float8"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _durations(sql: str, params: tuple[Any, ...]) -> dict[str, Durations]:
    """Per key, the median, 75th percentile and mean of `secs` of the rows (key, secs) of `sql`: PostgreSQL's
    `percentile_cont` in one query, elsewhere the same figures from the rows by the rule (its reference)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT k, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY secs),"
                " percentile_cont(0.75) WITHIN GROUP (ORDER BY secs), AVG(secs)"
                f" FROM ({sql}) AS rows GROUP BY k",
                params,
            )
            return {
                key: Durations(count, float(median), float(p75), float(mean))
                for key, count, median, p75, mean in cursor.fetchall()
            }
        cursor.execute(sql, params)
        found: dict[str, list[float]] = {}
        for key, secs in cursor.fetchall():
            found.setdefault(key, []).append(float(secs))
    return {key: Durations.of(values) for key, values in found.items()}


def _in_deals(column: str, deals_sql: str) -> str:
    """`AND <column> IN (<the deals>)`, or nothing when the deals are every deal (the head's unsliced funnel): the
    history is then read without joining the deals at all."""
    return f" AND {column} {deals_sql}" if deals_sql else ""


def _reached(query: FunnelQuery, deals_sql: str, deals_params: tuple[Any, ...]) -> dict[str, tuple[int, Decimal]]:
    changes, deal = DealStageChange._meta.db_table, Deal._meta.db_table
    with connection.cursor() as cursor:
        if query.view == PERIOD:
            # Distinct deals per stage (a deal moved back and forward again counts once); the amounts are the
            # cohort view's: summing them here would mean joining every change of the period to its deal.
            cursor.execute(
                f"SELECT to_stage, COUNT(DISTINCT deal_id) FROM {changes} WHERE at >= %s AND at < %s"
                f"{_in_deals('deal_id', deals_sql)} GROUP BY to_stage",
                (query.start, query.end, *deals_params),
            )
            return {stage: (count, ZERO) for stage, count in cursor.fetchall()}
        # A deal without any history (made before it was kept) counts at its stage, or the one it was lost from.
        # The deals joined once to their history (not the history grouped for the scope, then joined to the scope
        # again, which PostgreSQL ran in parallel workers each building the whole grouped history).
        cursor.execute(
            f"SELECT n, COUNT(*), SUM(amount) FROM (SELECT d.amount, COALESCE(MAX({_stage_number_sql('c.to_stage')}),"
            f" {_stage_number_sql('d.stage')}, {_stage_number_sql('d.lost_from_stage')}) AS n FROM {deal} AS d"
            f" LEFT JOIN {changes} AS c ON c.deal_id = d.id AND c.at < %s WHERE 1 = 1{_in_deals('d.id', deals_sql)}"
            " GROUP BY d.id, d.amount, d.stage, d.lost_from_stage) AS per_deal GROUP BY n",
            (query.end, *deals_params),
        )
        highest = {
            int(n): (count, Decimal(str(amount or 0))) for n, count, amount in cursor.fetchall() if n is not None
        }
    return dict(zip(PIPELINE, cumulative_reached(highest, len(PIPELINE)), strict=True))


def _stays(query: FunnelQuery, deals_sql: str, deals_params: tuple[Any, ...]) -> dict[str, Durations]:
    """The completed stays per stage: from entering a stage to the deal's next change (its `left_at`, kept on the
    change by crm), both before the end of the view; in the period view, ended in the period."""
    changes = DealStageChange._meta.db_table
    ended = " AND left_at >= %s" if query.view == PERIOD else ""
    sql = (
        f"SELECT to_stage AS k, {_seconds_sql('left_at', 'at')} AS secs FROM {changes}"
        f" WHERE at < %s AND left_at < %s AND to_stage <> %s{ended}{_in_deals('deal_id', deals_sql)}"
    )
    params: tuple[Any, ...] = (query.end, query.end, Stage.LOST.value)
    if query.view == PERIOD:
        params += (query.start,)
    return _durations(sql, params + deals_params)


def _closed_q(query: FunnelQuery) -> tuple[Q, Q]:
    """The deals won and those lost in the view: in the period, or (cohort) by `as_of`."""
    won = Q(stage__in=WON_STAGES, won_at__lt=query.end)
    lost = Q(stage=Stage.LOST, closed_at__lt=query.end)
    if query.view == PERIOD:
        won &= Q(won_at__gte=query.start)
        lost &= Q(closed_at__gte=query.start)
    return won, lost


@contextmanager
def _big_sorts() -> Iterator[None]:
    """PostgreSQL: sort and hash the history in memory, skip JIT compiling (it costs more than these queries take)
    and price index pages as the cached pages they are (so that the history is read index-only, in stage order,
    rather than scanned and sorted), for this transaction only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1")
        yield


def funnel_report(user: User, query: FunnelQuery) -> Funnel:
    """The funnel of the user's scope: five aggregate queries, however many deals."""
    with _big_sorts():
        return _funnel_report(user, query)


SMALL_SCOPE = 5000


def _deal_scope(deals: QuerySet[Deal]) -> tuple[QuerySet[Deal], str, tuple[Any, ...]]:
    """The deals and the condition the history queries put on a deal id (`IN (...)` or `= ANY(...)`).

    Every deal (the head without a slice): no condition, the history is read without looking the deals up. A small
    scope (a manager's deals) on PostgreSQL: its ids, read once, so that the history is read by its (deal, at) index
    instead of joining every change to the scope's conditions."""
    if not deals.query.where:
        return deals, "", ()
    if connection.vendor == "postgresql":
        ids = list(deals.values_list("id", flat=True)[: SMALL_SCOPE + 1])
        if len(ids) <= SMALL_SCOPE:
            chosen = Deal.objects.filter(pk__in=ids) if ids else Deal.objects.none()
            return chosen.order_by(), "= ANY(%s::bigint[])", (ids,)
    sql, params = _sql(deals.values("id"))
    return deals, f"IN ({sql})", params


def _funnel_report(user: User, query: FunnelQuery) -> Funnel:
    deals, deals_sql, deals_params = _deal_scope(funnel_deals(user, query))
    won_q, lost_q = _closed_q(query)
    totals = deals.aggregate(
        won=Count("id", filter=won_q), lost=Count("id", filter=lost_q), won_amount=Sum("amount", filter=won_q)
    )
    reasons = (
        deals.filter(lost_q)
        .values_list("lost_from_stage", "lost_reason__name")
        .annotate(n=Count("id"))
        .order_by("lost_from_stage", "lost_reason__name")
    )
    won_sql, won_params = _sql(deals.filter(won_q).values("id"))
    deal = Deal._meta.db_table
    cycle = _durations(
        f"SELECT 'cycle' AS k, {_seconds_sql('won_at', 'created_at')} AS secs FROM {deal} WHERE id IN ({won_sql})",
        won_params,
    )
    return funnel_build(
        order=PIPELINE,
        reached=_reached(query, deals_sql, deals_params),
        durations=_stays(query, deals_sql, deals_params),
        lost_reasons=[(stage or "", reason or "", n) for stage, reason, n in reasons],
        won=totals["won"],
        lost=totals["lost"],
        won_amount=totals["won_amount"] or ZERO,
        cycle=cycle.get("cycle", Durations()),
    )


def funnel_drill(user: User, query: FunnelQuery, stage: str, lost_from: str = "") -> QuerySet[Deal]:
    """The deals behind one bar (a stage), or behind the won or lost figure (`lost_from`: of one stage)."""
    deals = funnel_deals(user, query)
    won_q, lost_q = _closed_q(query)
    if stage == "won":
        return deals.filter(won_q)
    if stage == Stage.LOST:
        deals = deals.filter(lost_q)
        return deals.filter(lost_from_stage=lost_from) if lost_from else deals
    if query.view == PERIOD:
        entered = DealStageChange.objects.filter(
            deal=OuterRef("pk"), to_stage=stage, at__gte=query.start, at__lt=query.end
        )
        return deals.filter(Exists(entered))
    later = PIPELINE[ORDER[stage] - 1 :]
    history = DealStageChange.objects.filter(deal=OuterRef("pk"))
    reached = history.filter(to_stage__in=later, at__lt=query.end)
    never_recorded = ~Exists(history) & (Q(stage__in=later) | Q(lost_from_stage__in=later))
    return deals.filter(Exists(reached) | never_recorded)


# The funnel of 1st, 2nd, 3rd purchases (seed 003 #9): a purchase is one sales document (its number and date).


def first_buyers(user: User, query: FunnelQuery) -> QuerySet[Client]:
    """The clients of the scope whose first purchase ever fell in the period."""
    earlier = SaleLine.objects.filter(client_id=OuterRef("pk"), date__lt=query.date_from)
    in_period = SaleLine.objects.filter(client_id=OuterRef("pk"), date__gte=query.date_from, date__lte=query.date_to)
    return clients_in_scope(user).filter(Exists(in_period)).exclude(Exists(earlier))


def _documents(user: User, query: FunnelQuery) -> QuerySet[SaleLine, Any]:
    clients = first_buyers(user, query).values("id")
    return (
        sale_lines_in_scope(user)
        .filter(client_id__in=clients, date__lte=max(query.as_of, query.date_to))
        .values("client_id", "document_number", "date")
        .distinct()
        .order_by()
    )


def purchase_report(user: User, query: FunnelQuery) -> list[PurchaseStep]:
    """How many of the first buyers made a 2nd and a 3rd purchase by `as_of`: one query."""
    sql, params = _sql(_documents(user, query))
    with _big_sorts(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n, COUNT(*) FROM (SELECT client_id, COUNT(*) AS n FROM ({sql}) AS docs GROUP BY client_id)"
            " AS per_client GROUP BY n",
            params,
        )
        return purchase_funnel({int(n): count for n, count in cursor.fetchall()})


def purchase_drill(user: User, query: FunnelQuery, number: int) -> QuerySet[Client]:
    """The first buyers with at least `number` purchases by `as_of`."""
    if number <= 1:
        return first_buyers(user, query)
    sql, params = _sql(_documents(user, query))
    # The SQL is our own text around the queryset's compiled SQL; every value travels as a parameter.
    enough = RawSQL(  # noqa: S611
        f"SELECT client_id FROM ({sql}) AS docs GROUP BY client_id HAVING COUNT(*) >= %s", (*params, number)
    )
    return first_buyers(user, query).filter(pk__in=enough)


def funnel_headline(user: User, as_of: date) -> Headline | None:
    """The dashboard's conversion: won / all closed this month, with the numbers."""
    query = FunnelQuery(view=PERIOD, date_from=month_start(as_of), date_to=as_of, as_of=as_of)
    won_q, lost_q = _closed_q(query)
    totals = deals_in_scope(user).aggregate(won=Count("id", filter=won_q), lost=Count("id", filter=lost_q))
    won, lost = totals["won"], totals["lost"]
    if not won + lost:
        return None
    value = conversion(won, lost)
    return Headline(
        key="funnel",
        title=_("Conversion"),
        value=f"{value} %",
        detail=_("won %(won)s of %(closed)s closed this month (%(won)s won + %(lost)s lost)")
        % {"won": won, "closed": won + lost, "lost": lost},
        url=f"{reverse('analytics_funnel')}?date_from={query.date_from:%Y-%m-%d}&date_to={as_of:%Y-%m-%d}",
        order=20,
    )


def with_view(query: FunnelQuery, view: str) -> FunnelQuery:
    return replace(query, view=view)
