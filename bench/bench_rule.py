"""Benchmark: the nightly 3-month rule check (`reassignment_flags_refresh`) at the bench scale.

`python -m bench.bench_rule --scale huge` prints one JSON object: from an empty queue, the first run (flags every
client the rule catches) and a second run for the same day (the idempotent pass: it must add and change nothing),
each with its time, SQL query count and the process's RSS peak; then the first run again under tracemalloc for
the peak of Python allocations. The queue is emptied before and after, so the data set stays as generated.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench.harness import AS_OF, SCALES, Scale, database_label, django_setup, max_rss_mb, timed, traced


def empty_queue() -> int:
    from django.db import connection

    from crm.models import Reassignment

    return Reassignment.objects.all()._raw_delete(connection.alias)  # type: ignore[attr-defined]


def measured_run() -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crm.nightly import reassignment_flags_refresh

    with CaptureQueriesContext(connection) as queries:
        counts, seconds = timed(lambda: reassignment_flags_refresh(AS_OF))
    return {"seconds": seconds, "queries": len(queries), "rss_peak_mb": max_rss_mb(), "counts": counts}


def run(scale: Scale) -> dict[str, Any]:
    from crm.models import Client, DepartmentSettings, Reassignment, Role, User

    DepartmentSettings.current()
    empty_queue()
    rss_before = max_rss_mb()
    first = measured_run()
    table = list(Reassignment.objects.order_by("pk").values_list("pk", "client_id", "status", "updated_at"))
    second = measured_run()
    unchanged = table == list(
        Reassignment.objects.order_by("pk").values_list("pk", "client_id", "status", "updated_at")
    )
    empty_queue()
    with traced() as memory:
        measured_run()
    empty_queue()
    return {
        "database": database_label(),
        "scale": scale.name,
        "as_of": AS_OF.isoformat(),
        "clients_in_db": Client.objects.count(),
        "owned_clients": Client.objects.filter(owner__isnull=False).count(),
        "managers": User.objects.filter(role=Role.MANAGER).count(),
        "rss_before_mb": rss_before,
        "first": first,
        "second": second,
        "second_changed_nothing": unchanged,
        "tracemalloc_peak_mb": memory["tracemalloc_peak_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="huge")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale]), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
