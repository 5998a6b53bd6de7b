"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date

from analytics.services.nps import nps_surveys_send as _nps_surveys_send


def nps_surveys_send(as_of: date) -> dict[str, int]:
    """NPS rounds due by the cadence, and the one reminder to those who have not answered (idempotent)."""
    return _nps_surveys_send(as_of)
