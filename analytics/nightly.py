"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from analytics.models import ClientAbc, Contest, LtvClient
from analytics.services.abc import abc_xyz_compute
from analytics.services.contests import contest_results_send
from analytics.services.nps import nps_surveys_send as _nps_surveys_send
from core.calendar import month_shift, month_start
from core.db import history_scan_in_client_order
from crm.models import SaleLine


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


LTV_INSERT = """
INSERT INTO {table} (as_of, client_id, revenue, purchases, first_purchase, last_purchase, margin, margin_revenue)
SELECT %s, client_id, SUM(amount), COUNT(DISTINCT document_number), MIN(date), MAX(date),
       COALESCE(SUM(margin), 0), COALESCE(SUM(CASE WHEN margin IS NOT NULL THEN amount ELSE 0 END), 0)
FROM {lines}
WHERE date <= %s
GROUP BY client_id
"""


@transaction.atomic
def ltv_refresh(as_of: date) -> dict[str, Any]:
    """Each client's history figures up to `as_of` (analytics/models/ltv.py), set-based: one DELETE of the night's
    rows and one INSERT ... SELECT aggregating the sales history per client, so running it twice gives the same rows.
    The nights other than the latest and the 1st of a month are dropped."""
    LtvClient.objects.filter(as_of=as_of).delete()
    history_scan_in_client_order()
    sql = LTV_INSERT.format(
        table=connection.ops.quote_name(LtvClient._meta.db_table),
        lines=connection.ops.quote_name(SaleLine._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, as_of])
        written = cursor.rowcount
    dropped, _by_model = LtvClient.objects.exclude(as_of=as_of).exclude(as_of__day=1).filter(as_of__lt=as_of).delete()
    return {"clients": written, "dropped": dropped}


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
