"""The one registry of nightly jobs, in the order they run; the Celery task and `run_nightly` both use it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from crm.nightly import client_statuses_refresh, deal_hygiene_snapshot, long_lists_draft, reassignment_flags_refresh
from planning.nightly import plan_drafts_generate

logger = logging.getLogger(__name__)

NightlyJob = Callable[[date], dict[str, Any]]

# Each job takes the day it runs for and returns counts of what it did; each is idempotent.
NIGHTLY_JOBS: list[tuple[str, NightlyJob]] = [
    ("client_statuses_refresh", client_statuses_refresh),
    ("deal_hygiene_snapshot", deal_hygiene_snapshot),
    ("long_lists_draft", long_lists_draft),
    ("reassignment_flags_refresh", reassignment_flags_refresh),
    ("plan_drafts_generate", plan_drafts_generate),
]


def run_nightly(as_of: date) -> dict[str, dict[str, Any]]:
    """Run every nightly job for `as_of` in order; a failing job stops the run (the next run repeats it safely)."""
    results: dict[str, dict[str, Any]] = {}
    for name, job in NIGHTLY_JOBS:
        started = time.monotonic()
        results[name] = job(as_of)
        logger.info("nightly %s for %s done in %.1f s: %s", name, as_of, time.monotonic() - started, results[name])
    return results
