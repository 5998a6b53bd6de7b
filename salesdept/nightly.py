"""The one registry of nightly jobs, in the order they run, and how one job of a run is run and recorded.

Each job is its own Celery task (salesdept/tasks.py), chained in this order: a job that fails is retried, and when
it still fails the chain goes on, so one failure does not stop the others. A job that needs another's result
(`needs`) is skipped, with the reason, when that one did not succeed in the same run.

Monthly parts (the month's long lists, plan drafts) run on the 1st, or on the first run of the month after a
missed 1st: a job's monthly part is due while no run of that job has done it for the month (`monthly_for`).
Every job is idempotent, so a repeated or caught-up run changes nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from analytics.nightly import abc_xyz_refresh, contests_finish, ltv_refresh, nps_surveys_send
from core.calendar import month_start
from crm.nightly import (
    client_statuses_refresh,
    deal_hygiene_snapshot,
    long_lists_draft,
    reassignment_flags_refresh,
    sync_tombstones_purge,
)
from planning.nightly import plan_drafts_generate
from salesdept.idempotency import idempotency_records_expire
from salesdept.models import NightlyJobRun, NightlyRun
from vip.nightly import vip_frequencies_refresh, vip_problems_escalate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NightlyJob:
    name: str
    # Takes the day it runs for (and `monthly=` when `monthly`); returns counts of what it did.
    run: Callable[..., dict[str, Any]]
    monthly: bool = False
    needs: tuple[str, ...] = ()


NIGHTLY_JOBS: list[NightlyJob] = [
    # Statuses first: a client that became lost leaves its owner before the lists and the 3-month rule look at it.
    NightlyJob("client_statuses_refresh", client_statuses_refresh),
    NightlyJob("deal_hygiene_snapshot", deal_hygiene_snapshot),
    NightlyJob("long_lists_draft", long_lists_draft, monthly=True, needs=("client_statuses_refresh",)),
    NightlyJob("reassignment_flags_refresh", reassignment_flags_refresh, needs=("client_statuses_refresh",)),
    NightlyJob("plan_drafts_generate", plan_drafts_generate, monthly=True),
    NightlyJob("vip_problems_escalate", vip_problems_escalate),
    NightlyJob("vip_frequencies_refresh", vip_frequencies_refresh, monthly=True),
    NightlyJob("contests_finish", contests_finish),
    # After the statuses: a round goes to the clients that are active today.
    NightlyJob("nps_surveys_send", nps_surveys_send, needs=("client_statuses_refresh",)),
    NightlyJob("ltv_refresh", ltv_refresh),
    NightlyJob("abc_xyz_refresh", abc_xyz_refresh),
    NightlyJob("sync_tombstones_purge", sync_tombstones_purge),
    NightlyJob("idempotency_records_expire", idempotency_records_expire),
]
JOBS_BY_NAME = {job.name: job for job in NIGHTLY_JOBS}


# pg_advisory_xact_lock key of the nightly jobs ("nightly" in ASCII, as a bigint).
NIGHTLY_LOCK_KEY = 0x6E69676874_6C79


def nightly_lock() -> None:
    """Wait for the nightly lock, held to the end of the current transaction (PostgreSQL; SQLite runs one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NIGHTLY_LOCK_KEY])


def monthly_due(name: str, as_of: date) -> bool:
    """Whether the job's monthly part for the month of `as_of` is still to do: no run of it has done it yet."""
    done = NightlyJobRun.objects.filter(name=name, status=NightlyJobRun.Status.OK, monthly_for=month_start(as_of))
    return not done.exists()


def _json(counts: dict[str, Any]) -> dict[str, Any]:
    """Counts as JSON can store them (Decimals and dates as text)."""
    import json

    return json.loads(json.dumps(counts, cls=DjangoJSONEncoder, default=str))


def run_job(run: NightlyRun, name: str, *, attempt: int = 1) -> NightlyJobRun:
    """Run one job of `run` and record its outcome; never raises (a failure is recorded with its error)."""
    job = JOBS_BY_NAME[name]
    position = [j.name for j in NIGHTLY_JOBS].index(name)
    record = {"position": position, "attempts": attempt, "counts": {}, "error": "", "monthly_for": None}
    unmet = [
        need
        for need in job.needs
        if not NightlyJobRun.objects.filter(run=run, name=need, status=NightlyJobRun.Status.OK).exists()
    ]
    if unmet:
        record.update(status=NightlyJobRun.Status.SKIPPED, error=f"needs {', '.join(unmet)}, which did not succeed")
        logger.warning("nightly %s for %s skipped: %s", name, run.as_of, record["error"])
        row, _created = NightlyJobRun.objects.update_or_create(run=run, name=name, defaults=record)
        return row
    started = time.monotonic()
    try:
        with transaction.atomic():
            # One nightly job at a time in the whole department: a second run started meanwhile waits here, then
            # finds the work done (every job is idempotent, and the record below commits with the work), so
            # nothing is written twice.
            nightly_lock()
            monthly = job.monthly and monthly_due(name, run.as_of)
            counts = job.run(run.as_of, monthly=monthly) if job.monthly else job.run(run.as_of)
            record.update(
                status=NightlyJobRun.Status.OK,
                counts=_json(counts),
                monthly_for=month_start(run.as_of) if monthly else None,
                seconds=Decimal(f"{time.monotonic() - started:.3f}"),
            )
            row, _created = NightlyJobRun.objects.update_or_create(run=run, name=name, defaults=record)
    except Exception as exc:  # recorded and shown on the runs page; the next jobs still run
        logger.exception("nightly %s for %s failed (attempt %d)", name, run.as_of, attempt)
        record.update(
            status=NightlyJobRun.Status.FAILED,
            counts={},
            monthly_for=None,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            seconds=Decimal(f"{time.monotonic() - started:.3f}"),
        )
        row, _created = NightlyJobRun.objects.update_or_create(run=run, name=name, defaults=record)
    else:
        logger.info("nightly %s for %s: %s", name, run.as_of, counts)
    return row


def run_finish(run: NightlyRun) -> None:
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])


def run_nightly(as_of: date, *, trigger: str = NightlyRun.Trigger.COMMAND) -> dict[str, dict[str, Any]]:
    """Run every nightly job for `as_of` here, in order, one after the other; return each job's counts.

    A failed job is recorded (with its error, under the name "error") and the others still run.
    """
    run = NightlyRun.objects.create(as_of=as_of, trigger=trigger)
    results: dict[str, dict[str, Any]] = {}
    for job in NIGHTLY_JOBS:
        row = run_job(run, job.name)
        results[job.name] = row.counts if row.status == NightlyJobRun.Status.OK else {row.status: row.error}
    run_finish(run)
    return results
