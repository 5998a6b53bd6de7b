"""Nightly planning jobs (DOMAIN.md sections 4 and 8): set-based, idempotent, dated by `as_of`."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from planning.services.plans import plans_draft_for

logger = logging.getLogger(__name__)


def plan_drafts_generate(as_of: date) -> dict[str, Any]:
    """On the 1st of the month: a draft plan for every active seller who has no plan for the month; else nothing.

    The draft's T is the previous month's approved target, else A of the new window rounded to whole thousands.
    """
    if as_of.day != 1:
        return {"drafted": 0, "lines": 0}
    counts = plans_draft_for(month=as_of)
    logger.info("plan drafts for %s: %s", as_of, counts)
    return counts
