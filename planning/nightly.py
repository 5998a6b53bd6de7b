"""Nightly planning jobs (DOMAIN.md sections 4 and 8): set-based, idempotent, dated by `as_of`."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from planning.services.plans import plans_draft_for

logger = logging.getLogger(__name__)


def plan_drafts_generate(as_of: date, *, monthly: bool | None = None) -> dict[str, Any]:
    """The monthly part (on the 1st, or on the first run after a missed 1st: `monthly`, which the registry decides):
    a draft plan for every active seller who has no plan for the month; on other days nothing.

    The draft's T is the previous month's approved target, else A of the new window rounded to whole thousands.
    """
    if not (as_of.day == 1 if monthly is None else monthly):
        return {"drafted": 0, "lines": 0}
    counts = plans_draft_for(month=as_of.replace(day=1))
    logger.info("plan drafts for %s: %s", as_of, counts)
    return counts
