"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.services.abc import abc_xyz_compute


def abc_xyz_refresh(as_of: date) -> dict[str, Any]:
    """ABC/XYZ of every client for the month of `as_of` (the 12 full months before it); a re-run replaces the
    month's rows, so the job is idempotent."""
    return abc_xyz_compute(as_of=as_of)
