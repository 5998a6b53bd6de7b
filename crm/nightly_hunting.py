"""Nightly jobs of new-client hunting (DOMAIN.md sections 3 and 8): set-based, idempotent, dated by `as_of`."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction

from crm.selectors_hunting import long_list_calls_refresh
from crm.services.hunting import long_lists_draft_for

logger = logging.getLogger(__name__)


@transaction.atomic
def long_lists_draft(as_of: date) -> dict[str, Any]:
    """On the 1st of the month: draft the month's long list of every active seller who has none; otherwise nothing.

    Every day: store the first outgoing call of the month on the month's entries not yet marked called.
    """
    counts: dict[str, Any] = {"drafted": 0}
    if as_of.day == 1:
        drafted = long_lists_draft_for(month=as_of).as_dict()
        counts = {"drafted": drafted.pop("lists"), **drafted}
        if counts["below_min"]:
            logger.warning("long lists for %s: %d below the minimum", as_of, counts["below_min"])
    counts["calls_marked"] = long_list_calls_refresh(month=as_of.replace(day=1), up_to=as_of)
    logger.info("long lists as of %s: %s", as_of, counts)
    return counts
