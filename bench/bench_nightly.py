"""Benchmark: the whole nightly run for a 1st of the month (`salesdept.nightly.run_nightly`), from a reset state.

`python -m bench.bench_nightly --scale huge` prints one JSON object: the nightly outputs reset to the state before
the first run of the month (see `reset`), the whole run for `--as-of` (default the 1st of the month the data set is
built around) in this process, per job its seconds (as the registry records them) and its SQL query count; then a
second run for the same day, which must change nothing (its counts, and a fingerprint of the output tables before
and after it). The outputs are reset again at the end, so the data set stays as generated.

`--yardstick N` instead alternates N pairs of whole-process commands (the yardstick's README, step 3): A, the
project's `manage.py run_nightly --as-of <day>` from a reset state; B, the yardstick's `nightly_ref.py project` on
the project's data copied onto its schema (`bench/map_project.sh` first); and prints the ratio A/B min/median/max.

The state measured is a 1st of the month in a running department: the night before (`--as-of` minus one day) has
run. So the first time, on a freshly generated data set, the benchmark runs the whole nightly for that day (the
first night after an install: every status derived, the month's lists and plans, last month's ABC/XYZ), then keeps
the state in `bench_snapshot` (a schema of its own in the bench database): each client's status, owner,
owned-since, updated-at and revision; a full copy of the tables a night rewrites or updates (the 3-month flags,
ABC/XYZ, LTV); and the highest id of every table the nightly only appends to. `reset` writes those back and deletes
the rows added since (the change log, ownership changes, tombstones, long lists and their entries, plans and their
lines, NPS rounds and invitations, the nightly runs with their job records), then VACUUM ANALYZE of what it touched,
so every measured run starts from the same rows and the same physical state (the machine's PostgreSQL runs with
autovacuum off). The report says whether the reset gave back the snapshot's fingerprint.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from bench.harness import AS_OF, SCALES, Scale, database_label, django_setup, max_rss_mb

ROOT = Path(__file__).resolve().parent.parent
YARDSTICK = Path(os.environ.get("YARDSTICK_DIR", ROOT.parent / "shared" / "yardstick"))
FIRST = AS_OF.replace(day=1)
SNAPSHOT = "bench_snapshot"
# Tables the nightly only appends to (by id): rows above the snapshot's maximum are the nightly's.
APPENDED = (
    "crm_changelog",
    "crm_ownershipchange",
    "crm_tombstone",
    "crm_longlistentry",
    "crm_longlist",
    "crm_reassignment",
    "planning_planline",
    "planning_plan",
    "analytics_clientabc",
    "analytics_ltvclient",
    "analytics_npsinvitation",
    "analytics_npssurvey",
    "salesdept_nightlyjobrun",
    "salesdept_nightlyrun",
)
# Of those, the ones a job rewrites on every run (DELETE + INSERT of the night's rows): new ids, the same rows.
REWRITTEN = ("analytics_clientabc", "analytics_ltvclient")
# Tables a night also updates or deletes from: the snapshot keeps them whole and the reset puts them back whole.
COPIED = ("crm_reassignment", *REWRITTEN)
CLIENT_COLUMNS = ("status", "owner_id", "owned_since", "updated_at", "revision")


def _tables(cursor: Any) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {row[0] for row in cursor.fetchall()}


def snapshot_take(as_of: date) -> bool:
    """Run the night before `as_of` and keep that state, once (refused when a nightly already ran here without a
    snapshot); True when taken now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{SNAPSHOT}.client"])
        if cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM salesdept_nightlyrun")
        if cursor.fetchone()[0]:
            raise SystemExit("a nightly already ran in this database: no pre-nightly state to keep")
    night_before = measured_nightly(as_of - timedelta(days=1))
    sys.stderr.write(f"the night before, {as_of - timedelta(days=1)}: {night_before['seconds']} s\n")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SNAPSHOT}")
        cursor.execute(f"CREATE TABLE {SNAPSHOT}.client AS SELECT id, {', '.join(CLIENT_COLUMNS)} FROM crm_client")
        cursor.execute(f"CREATE TABLE {SNAPSHOT}.max_id (name text PRIMARY KEY, max_id bigint NOT NULL)")
        present = _tables(cursor)
        for table in APPENDED:
            if table in present:
                cursor.execute(
                    f"INSERT INTO {SNAPSHOT}.max_id SELECT %s, COALESCE(MAX(id), 0) FROM {table}",
                    [table],
                )
            if table in COPIED:
                cursor.execute(f"CREATE TABLE {SNAPSHOT}.{table} AS SELECT * FROM {table}")
    vacuum()
    return True


def vacuum() -> None:
    """VACUUM ANALYZE of every table the nightly writes (outside a transaction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        present = _tables(cursor)
        for table in ("crm_client", *APPENDED):
            if table in present:
                cursor.execute(f"VACUUM ANALYZE {table}")


def reset() -> dict[str, int]:
    """Back to the snapshot's state: the client columns and the copied tables written back, the appended rows
    deleted; then VACUUM ANALYZE."""
    from django.db import connection, transaction

    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT name, max_id FROM {SNAPSHOT}.max_id")
        limits = dict(cursor.fetchall())
        # Foreign keys are checked at commit: children first (APPENDED's order), then the copies put back.
        for table in APPENDED:
            if table in COPIED:
                cursor.execute(f"DELETE FROM {table}")
                cursor.execute(f"INSERT INTO {table} SELECT * FROM {SNAPSHOT}.{table}")
                counts[f"{table} restored"] = cursor.rowcount
            elif table in limits:
                cursor.execute(f"DELETE FROM {table} WHERE id > %s", [limits[table]])
                counts[table] = cursor.rowcount
        differs = " OR ".join(f"c.{col} IS DISTINCT FROM s.{col}" for col in CLIENT_COLUMNS)
        assign = ", ".join(f"{col} = s.{col}" for col in CLIENT_COLUMNS)
        cursor.execute(f"UPDATE crm_client c SET {assign} FROM {SNAPSHOT}.client s WHERE c.id = s.id AND ({differs})")
        counts["crm_client restored"] = cursor.rowcount
    vacuum()
    return counts


def fingerprint() -> dict[str, Any]:
    """What the nightly's outputs hold: per table the rows and the highest id; the clients' statuses and owners."""
    from django.db import connection

    figures: dict[str, Any] = {}
    with connection.cursor() as cursor:
        present = _tables(cursor)
        for table in APPENDED:
            if table in present and not table.startswith("salesdept_"):
                top = "0" if table in REWRITTEN else "COALESCE(MAX(id), 0)"
                cursor.execute(f"SELECT count(*), {top} FROM {table}")
                figures[table] = list(cursor.fetchone())
        cursor.execute(
            "SELECT status, count(*), count(owner_id), SUM(revision), MAX(updated_at)::text FROM crm_client"
            " GROUP BY status ORDER BY status"
        )
        figures["crm_client"] = [list(row) for row in cursor.fetchall()]
        cursor.execute("SELECT count(*), SUM(revenue)::text, SUM(purchases) FROM analytics_ltvclient")
        figures["ltv, sums"] = list(cursor.fetchone())
        cursor.execute("SELECT cell, count(*) FROM analytics_clientabc GROUP BY cell ORDER BY cell")
        figures["abc cells"] = [list(row) for row in cursor.fetchall()]
        cursor.execute("SELECT count(*), COALESCE(SUM(plan_amount), 0)::text FROM planning_planline")
        figures["plan lines, sum"] = list(cursor.fetchone())
    return figures


def measured_nightly(as_of: date) -> dict[str, Any]:
    """`run_nightly`'s loop (salesdept/nightly.py), each job with its seconds and its SQL statements counted."""
    from django.db import connection

    from salesdept.models import NightlyJobRun, NightlyRun
    from salesdept.nightly import NIGHTLY_JOBS, run_finish, run_job

    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    from celery.app.task import Task

    deferred: dict[str, int] = {}

    def queue(task: Any, args: Any = None, kwargs: Any = None, **options: Any) -> None:
        # The work a job hands to the Celery worker (the NPS e-mails): counted, not run here, as in production,
        # where the worker sends them after the night's run (the bench settings would run them eagerly, in line).
        deferred[task.name] = deferred.get(task.name, 0) + 1

    jobs: dict[str, Any] = {}
    started = time.perf_counter()
    with connection.execute_wrapper(count), mock.patch.object(Task, "apply_async", queue):
        run = NightlyRun.objects.create(as_of=as_of, trigger=NightlyRun.Trigger.COMMAND)
        for job in NIGHTLY_JOBS:
            before, job_started = statements[0], time.perf_counter()
            row = run_job(run, job.name)
            jobs[job.name] = {
                "seconds": round(time.perf_counter() - job_started, 3),
                "queries": statements[0] - before,
                "status": row.status,
                "counts": {k: v for k, v in row.counts.items() if not isinstance(v, dict)}
                if row.status == NightlyJobRun.Status.OK
                else row.error,
            }
        run_finish(run)
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "queries": statements[0],
        "rss_peak_mb": max_rss_mb(),
        "tasks_queued": deferred,
        "jobs": jobs,
    }


def run(scale: Scale, as_of: date) -> dict[str, Any]:
    taken = snapshot_take(as_of)
    reset_counts = reset()
    baseline = fingerprint()
    first = measured_nightly(as_of)
    after_first = fingerprint()
    second = measured_nightly(as_of)
    after_second = fingerprint()
    reset()
    faithful = fingerprint() == baseline
    return {
        "database": database_label(),
        "scale": scale.name,
        "as_of": as_of.isoformat(),
        "snapshot_taken_now": taken,
        "reset": reset_counts,
        "reset_faithful": faithful,
        "first": first,
        "second": second,
        "after_first": after_first,
        "second_changed_nothing": after_first == after_second,
        "after_second": after_second,
    }


def _timed_command(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"{command[:3]} failed ({done.returncode})")
    return seconds


def alternate(as_of: date, pairs: int, yard_python: str, yard_db: str) -> dict[str, Any]:
    """A (the project's whole nightly process, from a reset state) and B (the yardstick) pair by pair."""
    snapshot_take(as_of)
    project = [sys.executable, "manage.py", "run_nightly", "--as-of", as_of.isoformat()]
    yard = [yard_python, "nightly_ref.py", "project"]
    yard_env = {**os.environ, "YARD_DB": yard_db, "YARD_AS_OF": as_of.isoformat()}
    rows = []
    for _ in range(pairs):
        reset()
        # Tasks queued to Redis (db 10 unless BENCH_REDIS_URL), not sent in line: the worker's work, not the night's.
        queued = {"REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")}
        a = _timed_command(project, ROOT, {**os.environ, **queued, "CELERY_TASK_ALWAYS_EAGER": "false"})
        b = _timed_command(yard, YARDSTICK, yard_env)
        rows.append({"project_s": round(a, 2), "yardstick_s": round(b, 2), "ratio": round(a / b, 2)})
    reset()
    ratios = [row["ratio"] for row in rows]
    return {
        "as_of": as_of.isoformat(),
        "project_command": " ".join(project[1:]),
        "yardstick_command": f"YARD_DB={yard_db} YARD_AS_OF={as_of.isoformat()} {yard_python} nightly_ref.py project",
        "pairs": rows,
        "ratio": {"min": min(ratios), "median": statistics.median(ratios), "max": max(ratios)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="huge")
    parser.add_argument("--as-of", type=date.fromisoformat, default=FIRST, help="the 1st to run for")
    parser.add_argument("--reset-only", action="store_true", help="only reset the nightly outputs")
    parser.add_argument("--yardstick", type=int, metavar="N", help="alternate N pairs with the yardstick")
    parser.add_argument("--yard-python", default=os.environ.get("YARD_PYTHON", "/tmp/yardstick-venv/bin/python"))  # noqa: S108
    parser.add_argument("--yard-db", default=os.environ.get("YARD_DB", "yard_project"))
    args = parser.parse_args()
    django_setup()
    if args.reset_only:
        snapshot_take(args.as_of)
        report: dict[str, Any] = {"reset": reset()}
    elif args.yardstick:
        report = alternate(args.as_of, args.yardstick, args.yard_python, args.yard_db)
    else:
        report = run(SCALES[args.scale], args.as_of)
    print(json.dumps(report, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
