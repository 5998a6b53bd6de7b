"""Benchmark: the funnel page and its API at the bench scale (100 000 deals at `huge`).

`python -m bench.bench_funnel --scale huge` prints one JSON object: for the head (every deal) and the busiest
manager, the p50 and p95 of `/analytics/funnel/` and `/api/v1/analytics/funnel/` (the default period: the last three
calendar months; and the cohort view) through the full Django stack, and the SQL query count of each.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bench.bench_search import percentile
from bench.harness import SCALES, Scale, database_label, django_setup, write_result

CASES = [
    ("page, by period", "/analytics/funnel/", {}),
    ("page, by cohort", "/analytics/funnel/", {"view": "cohort"}),
    ("API, by period", "/api/v1/analytics/funnel/", {}),
]


def measure(username: str, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from crm.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cases: dict[str, Any] = {}
    for label, url, params in CASES:
        if (status := client.get(url, params).status_code) != 200:
            raise SystemExit(f"{url}: {status}")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, params)
            samples.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        cases[label] = {
            "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95),
            "queries": len(queries.captured_queries),
        }
    return cases


def run(scale: Scale, *, runs: int) -> dict[str, Any]:
    from django.db.models import Count

    from crm.models import Deal, Role, User

    busiest = (
        User.objects.filter(role=Role.MANAGER)
        .annotate(deal_count=Count("deals"))
        .order_by("-deal_count", "username")
        .values_list("username", flat=True)
        .first()
    ) or "manager01"
    return {
        "database": database_label(),
        "scale": scale.name,
        "deals_in_db": Deal.objects.count(),
        "runs": runs,
        "users": {"head": measure("head", runs), busiest: measure(busiest, runs)},
    }


def main() -> None:
    from django.test import override_settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="huge")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    django_setup()
    scale = SCALES[args.scale]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]):
        report = run(scale, runs=args.runs)
    write_result("funnel", scale, report)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
