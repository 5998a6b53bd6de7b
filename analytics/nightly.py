"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.models import ClientAbc
from analytics.services.abc import abc_xyz_compute
from core.calendar import month_shift, month_start


def abc_xyz_refresh(as_of: date) -> dict[str, Any]:
    """ABC/XYZ of every client for the month of `as_of` (the 12 full months before it); a re-run replaces the
    month's rows, so the job is idempotent. When the month before was never classified (the first night after the
    install), it is classified first, so the transitions show from the first morning."""
    previous = month_shift(month_start(as_of), -1)
    filled = None
    if not ClientAbc.objects.filter(month=previous).exists():
        filled = abc_xyz_compute(as_of=previous)["clients"]
    counts = abc_xyz_compute(as_of=as_of)
    if filled is not None:
        counts["previous_month_filled"] = filled
    return counts
