"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.models import Contest
from analytics.services.contests import contest_results_send
from analytics.services.nps import nps_surveys_send as _nps_surveys_send


def contests_finish(as_of: date) -> dict[str, Any]:
    """E-mail the results of every contest that ended before `as_of` and has not had them sent (idempotent:
    `results_sent_at` guards each contest)."""
    counts = {"contests": 0, "sent": 0, "failed": 0, "no_email": 0}
    for contest_id in Contest.objects.filter(end__lt=as_of, results_sent_at__isnull=True).values_list("pk", flat=True):
        sent = contest_results_send(contest_id=contest_id)
        counts["contests"] += 1
        for key, value in sent.items():
            counts[key] += value
    return counts


def nps_surveys_send(as_of: date) -> dict[str, int]:
    """NPS rounds due by the cadence, and the one reminder to those who have not answered (idempotent)."""
    return _nps_surveys_send(as_of)
