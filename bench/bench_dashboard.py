"""Benchmark: the head's dashboard and the morning sheet at the bench scale (100 000 deals at `huge`).

`python -m bench.bench_dashboard --scale huge` prints one JSON object: for the head (the whole department) and the
busiest manager, the median, p95 and max of the dashboard page (`/analytics/dashboard/`, rendered with its charts)
and of the morning sheet, and their SQL query counts. The views are called through Django's RequestFactory inside a
transaction that is rolled back, so the benchmark writes nothing to the bench database (no session, no settings row).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.harness import SCALES, Scale, database_label, django_setup, write_result


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return round(ordered[rank] * 1000, 1)


def measure(username: str, path: str, view: Any, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from crm.models import User

    user = User.objects.get(username=username)
    factory = RequestFactory()

    def get() -> Any:
        request = factory.get(path)
        request.user = user
        response = view(request)
        response.render()
        if response.status_code != 200:
            raise SystemExit(f"{path} as {username}: {response.status_code}")
        return response

    get()  # warm up (templates, the settings rows)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return {
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": percentile(samples, 0.95),
        "max_ms": round(max(samples) * 1000, 1),
        "queries": len(queries.captured_queries),
        "kb": round(len(response.content) / 1024),
    }


def run(scale: Scale, *, runs: int) -> dict[str, Any]:
    from django.db.models import Count

    from analytics.views.dashboard import DashboardView, MorningSheetView
    from crm.models import Deal, Role, User

    busiest = (
        User.objects.filter(role=Role.MANAGER)
        .annotate(deal_count=Count("deals"))
        .order_by("-deal_count", "username")
        .values_list("username", flat=True)
        .first()
    ) or "manager01"
    pages = {
        "dashboard": ("/analytics/dashboard/", DashboardView.as_view()),
        "morning": ("/analytics/morning/", MorningSheetView.as_view()),
    }
    return {
        "database": database_label(),
        "scale": scale.name,
        "deals_in_db": Deal.objects.count(),
        "runs": runs,
        "cases": {
            f"{username}: {name}": measure(username, path, view, runs)
            for username in ("head", busiest)
            for name, (path, view) in pages.items()
        },
    }


def measured(scale: Scale, *, runs: int) -> dict[str, Any]:
    from django.db import transaction
    from django.test import override_settings

    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]), transaction.atomic():
        report = run(scale, runs=runs)
        transaction.set_rollback(True)  # read only: nothing the pages may have created stays
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="huge")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    django_setup()
    scale = SCALES[args.scale]
    report = measured(scale, runs=args.runs)
    write_result("dashboard", scale, report)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
