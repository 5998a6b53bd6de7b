"""The VIP programme's nightly job (DOMAIN.md section 8): escalate fixes the client has not confirmed."""

from __future__ import annotations

from datetime import date

from vip.services.frequency import frequencies_refresh
from vip.services.problems import problems_escalate


def vip_problems_escalate(as_of: date) -> dict[str, int]:
    """Problems fixed by service and not confirmed by the client for the setting's days go to the VIP head."""
    return problems_escalate(today=as_of)


def vip_frequencies_refresh(as_of: date, *, monthly: bool | None = None) -> dict[str, int]:
    """The monthly part (on the 1st, or the first run after a missed 1st): the Pareto tiers and next due dates."""
    if not (as_of.day == 1 if monthly is None else monthly):
        return {"skipped": 1}
    return frequencies_refresh(as_of=as_of)
