"""Benchmark: the nightly ABC/XYZ job (`abc_xyz_refresh`) at the bench scale.

`python -m bench.bench_abc --scale huge` prints one JSON object: three runs of the job for the month of AS_OF
(the month before classified first, untimed, as on any night but the first; then the first run from an empty
month and re-runs that replace it: the job is idempotent), each with its time, the
seconds of its parts (aggregation of the 12 months to client x month and client, classification with window
functions, writing by DELETE + INSERT ... SELECT), the query count and RSS peak; the rows are removed at the end
so that the data set stays as generated.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench.harness import AS_OF, SCALES, Scale, database_label, django_setup, max_rss_mb, timed


def measured_run() -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analytics.nightly import abc_xyz_refresh

    with CaptureQueriesContext(connection) as queries:
        counts, seconds = timed(lambda: abc_xyz_refresh(AS_OF))
    return {
        "seconds": seconds,
        "parts": counts["seconds"],
        "clients": counts["clients"],
        "queries": len(queries),
        "rss_peak_mb": max_rss_mb(),
    }


def run(scale: Scale) -> dict[str, Any]:
    from django.db.models import Count

    from analytics.models import AnalyticsSettings, ClientAbc
    from core.calendar import month_start
    from crm.models import Client, SaleLine

    AnalyticsSettings.current()
    from analytics.services.abc import abc_xyz_compute
    from core.calendar import month_shift

    month = month_start(AS_OF)
    ClientAbc.objects.all().delete()
    # As on any night but the first: the month before is classified (its clients stay in this month's rows).
    abc_xyz_compute(as_of=month_shift(month, -1))
    runs = [measured_run() for _ in range(3)]
    cells = {
        row["cell"]: row["n"] for row in ClientAbc.objects.filter(month=month).values("cell").annotate(n=Count("id"))
    }
    ClientAbc.objects.all().delete()
    return {
        "database": database_label(),
        "scale": scale.name,
        "as_of": AS_OF.isoformat(),
        "clients_in_db": Client.objects.count(),
        "sale_lines_in_db": SaleLine.objects.count(),
        "runs": runs,
        "cells": dict(sorted(cells.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="huge")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale]), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
