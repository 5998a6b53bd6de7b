"""The nightly ABC/XYZ classification of every client (analytics/rules/abc.py), written for the month of `as_of`.

On PostgreSQL it is set-based: the 12 months of crm's sale lines are aggregated to client x month and then to the
client once in SQL (a temporary table), classified in SQL with window functions (a second one), and written with one
`INSERT ... SELECT` after deleting the month's rows, so a re-run replaces the month. Elsewhere (SQLite: the tests'
default and `make run`) the same rule runs in Python over `.values()` rows. tests/analytics/test_services_abc.py
runs both on one data set and compares them exactly.

The clients classified: every client with a sale line in the 12 months, and every client classified the month
before (so a client that stopped buying shows as a fall to C, not as a disappearance).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from analytics.models import AnalyticsSettings, ClientAbc
from analytics.rules.abc import ZERO, ClientMonths, Thresholds, classify
from core.calendar import month_shift, month_start, window_months
from core.db import history_scan_in_client_order
from crm.models import SaleLine

TABLE = ClientAbc._meta.db_table
SALES = SaleLine._meta.db_table

# One pass over the covering (client, date) index in client order: per client, the window's revenue and margin and
# each of the 12 months' revenue (a FILTER sum; NULL for a month without lines), from which the months bought and
# the sum of squares follow. No client x month intermediate to hash or sort (it spilled to disk at 100 000 clients).
_MONTH = "coalesce(m{i}, 0)"
_MONTHS_BOUGHT = " + ".join(f"({_MONTH.format(i=i)} > 0)::int" for i in range(12))
_SQUARES = " + ".join(f"{_MONTH.format(i=i)} * {_MONTH.format(i=i)}" for i in range(12))
_MONTH_SUMS = ", ".join(
    f"sum(amount) FILTER (WHERE date >= %(m{i})s AND date < %(m{i + 1})s) AS m{i}" for i in range(12)
)
AGGREGATE_SQL = f"""
CREATE TEMPORARY TABLE abc_client ON COMMIT DROP AS
WITH cs AS (
    SELECT client_id, revenue, margin,
           {_MONTHS_BOUGHT} AS months,
           {_SQUARES} AS squares
    FROM (
        SELECT client_id, sum(amount) AS revenue, sum(coalesce(margin, 0)) AS margin,
               {_MONTH_SUMS}
        FROM {SALES} WHERE date >= %(start)s AND date < %(month)s GROUP BY client_id
    ) t
)
SELECT * FROM cs
UNION ALL
SELECT p.client_id, 0, 0, 0, 0 FROM {TABLE} p
WHERE p.month = %(previous)s AND NOT EXISTS (SELECT 1 FROM cs WHERE cs.client_id = p.client_id)
"""

CLASSIFY_SQL = """
CREATE TEMPORARY TABLE abc_result ON COMMIT DROP AS
WITH v AS (
    SELECT *, CASE WHEN %(basis)s = 'margin' THEN margin ELSE revenue END AS val FROM abc_client
), r AS (
    SELECT *, row_number() OVER w AS rank,
           sum(greatest(val, 0)) OVER (w ROWS UNBOUNDED PRECEDING) AS cum,
           sum(greatest(val, 0)) OVER () AS total
    FROM v WINDOW w AS (ORDER BY val DESC, client_id)
), c AS (
    SELECT client_id, revenue, margin, months, rank,
           CASE WHEN val > 0 AND (cum - greatest(val, 0)) * 100 < %(a)s * total THEN 'A'
                WHEN val > 0 AND (cum - greatest(val, 0)) * 100 < %(ab)s * total THEN 'B' ELSE 'C' END AS abc,
           CASE WHEN %(method)s = 'cv' THEN
                CASE WHEN revenue > 0 AND 10000 * (12 * squares - revenue * revenue)
                                          <= %(cv_x)s * %(cv_x)s * revenue * revenue THEN 'X'
                     WHEN revenue > 0 AND 10000 * (12 * squares - revenue * revenue)
                                          <= %(cv_y)s * %(cv_y)s * revenue * revenue THEN 'Y' ELSE 'Z' END
                ELSE CASE WHEN months >= %(x_months)s THEN 'X' WHEN months >= %(y_months)s THEN 'Y' ELSE 'Z' END
           END AS xyz,
           CASE WHEN revenue > 0 THEN round(100 * sqrt(greatest(12 * squares - revenue * revenue, 0)) / revenue, 2)
           END AS cv,
           CASE WHEN total > 0 THEN round(cum * 100 / total, 4) ELSE 0 END AS cumulative_share
    FROM r
)
SELECT * FROM c
"""

WRITE_SQL = f"""
INSERT INTO {TABLE} (month, client_id, abc, xyz, cell, basis, revenue, margin, months_bought, cv, rank,
                     cumulative_share)
SELECT %(month)s, client_id, abc, xyz, abc || xyz, %(basis)s, revenue, margin, months, cv, rank, cumulative_share
FROM abc_result
"""


def _params(month: date, thresholds: Thresholds) -> dict[str, Any]:
    return {
        "month": month,
        "start": month_shift(month, -12),
        **{f"m{i}": month_shift(month, i - 12) for i in range(13)},
        "previous": month_shift(month, -1),
        "basis": thresholds.basis,
        "a": thresholds.a_share,
        "ab": thresholds.a_share + thresholds.b_share,
        "method": thresholds.xyz_method,
        "cv_x": thresholds.cv_x,
        "cv_y": thresholds.cv_y,
        "x_months": thresholds.x_months,
        "y_months": thresholds.y_months,
    }


def _sql(month: date, thresholds: Thresholds, timings: dict[str, float]) -> int:
    params = _params(month, thresholds)
    history_scan_in_client_order()
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute(AGGREGATE_SQL, params)
        timings["aggregation"] = time.monotonic() - started
        started = time.monotonic()
        cursor.execute(CLASSIFY_SQL, params)
        timings["classification"] = time.monotonic() - started
        started = time.monotonic()
        cursor.execute(f"DELETE FROM {TABLE} WHERE month = %s", [month])
        cursor.execute(WRITE_SQL, params)
        written = cursor.rowcount
        cursor.execute("DROP TABLE abc_client, abc_result")
        timings["writing"] = time.monotonic() - started
    return written


def client_months(month: date) -> list[ClientMonths]:
    """The portable path's input: each client's 12 monthly amounts and margin, from `.values()` rows."""
    months = window_months(month, 12)
    index = {m: i for i, m in enumerate(months)}
    amounts: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    margins: dict[int, Decimal] = defaultdict(lambda: ZERO)
    lines = SaleLine.objects.filter(date__gte=months[0], date__lt=month).values_list(
        "client_id", "date", "amount", "margin"
    )
    for client_id, day, amount, margin in lines.iterator(chunk_size=5000):
        amounts[client_id][index[month_start(day)]] += amount
        margins[client_id] += margin or ZERO
    previous = ClientAbc.objects.filter(month=month_shift(month, -1)).values_list("client_id", flat=True)
    for client_id in previous:
        amounts[client_id]
    return [ClientMonths(client_id, monthly, margins[client_id]) for client_id, monthly in amounts.items()]


def _python(month: date, thresholds: Thresholds, timings: dict[str, float]) -> int:
    started = time.monotonic()
    rows = client_months(month)
    timings["aggregation"] = time.monotonic() - started
    started = time.monotonic()
    classes = classify(rows, thresholds)
    timings["classification"] = time.monotonic() - started
    started = time.monotonic()
    ClientAbc.objects.filter(month=month).delete()
    ClientAbc.objects.bulk_create(
        [
            ClientAbc(
                month=month,
                client_id=c.client_id,
                abc=c.abc,
                xyz=c.xyz,
                cell=c.cell,
                basis=thresholds.basis,
                revenue=c.revenue,
                margin=c.margin,
                months_bought=c.months_bought,
                cv=c.cv,
                rank=c.rank,
                cumulative_share=c.cumulative_share,
            )
            for c in classes
        ],
        batch_size=1000,
    )
    timings["writing"] = time.monotonic() - started
    return len(classes)


@transaction.atomic
def abc_xyz_compute(*, as_of: date, sql: bool | None = None) -> dict[str, Any]:
    """Classify every client for the month of `as_of` (over the 12 full months before it), replacing that month's
    rows; `sql` forces a path (default: SQL on PostgreSQL). Returns the counts and each part's seconds."""
    month = month_start(as_of)
    thresholds = Thresholds.of(AnalyticsSettings.current())
    use_sql = connection.vendor == "postgresql" if sql is None else sql
    timings: dict[str, float] = {}
    written = (_sql if use_sql else _python)(month, thresholds, timings)
    return {
        "month": month,
        "clients": written,
        "path": "sql" if use_sql else "python",
        "seconds": {part: round(value, 3) for part, value in timings.items()},
    }
