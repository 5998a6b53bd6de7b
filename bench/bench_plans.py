"""Benchmark: monthly plan generation (DOMAIN.md section 4) for 50 managers over the `huge` data set (~3M lines).

`python -m bench.bench_plans --scale huge` prints one JSON object:
- `generate`: `plan_generate` for each of the 50 managers (one aggregate history query each, then the pure
  `compute_plan`), time, SQL queries and the process's RSS peak; `again`: the same 50 calls once more (idempotent:
  no new version); `nightly`: `plans_draft_for` drafting every active seller at once (one history query for all);
- `sql`: ONE plain SQL statement computing the same regular-client plans (GROUP BY manager, client over the
  monthly nets, months with purchases >= 3, SUM / 4) timed in the same run, and `same_numbers`: both give the same
  (manager, client, months, 4-month total, plan) rows and the same R per manager (asserted);
- the tracemalloc peak of the 50 generations (a separate, slower run).
The plans of the month are deleted before and after, so the data set stays as generated.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from bench.harness import AS_OF, SCALES, Scale, database_label, django_setup, max_rss_mb, timed, traced

PLAN_MONTH = AS_OF.replace(day=1)  # window: the 4 full months before the benchmarks' "today"
TARGET = Decimal("3000000")

REGULAR_PLANS_SQL = """
WITH monthly AS (
    SELECT manager_id, client_id, date_trunc('month', date)::date AS month, SUM(amount) AS amount
    FROM crm_saleline
    WHERE manager_id = ANY(%(managers)s) AND date >= %(start)s AND date <= %(end)s
    GROUP BY manager_id, client_id, date_trunc('month', date)
)
SELECT manager_id, client_id,
       COUNT(*) FILTER (WHERE amount > 0) AS months,
       SUM(amount) AS total,
       ROUND(GREATEST(SUM(amount), 0) / 4, 2) AS plan
FROM monthly
GROUP BY manager_id, client_id
HAVING COUNT(*) FILTER (WHERE amount > 0) >= 3
"""


def clear() -> int:
    from planning.models import Plan

    return Plan.objects.filter(month=PLAN_MONTH).delete()[0]


def generate_all(managers: list[Any], head: Any) -> list[Any]:
    from planning.services.plans import plan_generate

    return [plan_generate(manager=m, month=PLAN_MONTH, target=TARGET, by=head) for m in managers]


def measured(function: Any) -> tuple[Any, dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        value, seconds = timed(function)
    return value, {"seconds": seconds, "queries": len(queries), "rss_peak_mb": max_rss_mb()}


def run(scale: Scale) -> dict[str, Any]:
    from django.db import connection

    from crm.models import Role, SaleLine, User
    from planning.models import Plan, PlanLine
    from planning.rules.plans import window_bounds
    from planning.services.plans import plans_draft_for

    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk")[:50])
    head = User.objects.get(username="head")
    start, end = window_bounds(PLAN_MONTH)
    clear()
    rss_before = max_rss_mb()

    plans, generate = measured(lambda: generate_all(managers, head))
    again_plans, again = measured(lambda: generate_all(managers, head))
    again["new_versions"] = sum(1 for a, b in zip(plans, again_plans, strict=True) if a.pk != b.pk)

    def sql() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(REGULAR_PLANS_SQL, {"managers": [m.pk for m in managers], "start": start, "end": end})
            return cursor.fetchall()

    sql_rows, sql_figures = measured(sql)
    from_sql = sorted((m, c, n, Decimal(t).quantize(Decimal("0.01")), p) for m, c, n, t, p in sql_rows)
    from_orm = sorted(
        PlanLine.objects.filter(plan__in=plans).values_list(
            "plan__manager_id", "client_id", "months_with_purchases", "window_total", "plan_amount"
        )
    )
    r_sql: dict[int, Decimal] = {}
    for manager_id, _client, _months, _total, plan in from_sql:
        r_sql[manager_id] = r_sql.get(manager_id, Decimal("0")) + plan
    r_orm = {p.manager_id: p.regular_total for p in plans if p.regular_total}
    same = from_sql == from_orm and r_sql == r_orm
    assert same, "plan_generate and the plain SQL disagree"

    clear()
    with traced() as memory:
        generate_all(managers, head)
    clear()
    nightly_counts, nightly = measured(lambda: plans_draft_for(month=PLAN_MONTH))
    nightly["counts"] = nightly_counts
    clear()

    lines_in_window = SaleLine.objects.filter(manager__in=managers, date__gte=start, date__lte=end).count()
    return {
        "database": database_label(),
        "scale": scale.name,
        "plan_month": PLAN_MONTH.isoformat(),
        "window": [start.isoformat(), end.isoformat()],
        "sales_lines_in_db": SaleLine.objects.count(),
        "lines_in_window": lines_in_window,
        "managers": len(managers),
        "regular_lines": len(from_orm),
        "rss_before_mb": rss_before,
        "generate": generate,
        "again": again,
        "sql": sql_figures,
        "same_numbers": same,
        "nightly": nightly,
        "tracemalloc_peak_mb": memory["tracemalloc_peak_mb"],
        "plans_left": Plan.objects.filter(month=PLAN_MONTH).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="huge")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale]), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
