"""The demo department's analytics history: what the nightly jobs would have stored over the past months."""

from __future__ import annotations

from datetime import date

from analytics.services.abc import abc_xyz_compute
from core.calendar import month_shift, month_start

ABC_HISTORY_MONTHS = 6


def abc_history_seed(*, as_of: date, months: int = ABC_HISTORY_MONTHS) -> int:
    """ABC/XYZ for the `months` months before `as_of`'s, oldest first (so each month sees the one before it); the
    nightly run of `as_of` then adds the current month, and the matrix, the transitions and "AX since" show at once."""
    first = month_start(as_of)
    written = 0
    for back in range(months, 0, -1):
        written += abc_xyz_compute(as_of=month_shift(first, -back))["clients"]
    return written
