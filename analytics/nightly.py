"""The analytics' nightly jobs (registered in salesdept/nightly.py), each taking the day it runs for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from analytics.models import LtvClient
from crm.models import SaleLine

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
    sql = LTV_INSERT.format(
        table=connection.ops.quote_name(LtvClient._meta.db_table),
        lines=connection.ops.quote_name(SaleLine._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, as_of])
        written = cursor.rowcount
    dropped, _by_model = LtvClient.objects.exclude(as_of=as_of).exclude(as_of__day=1).filter(as_of__lt=as_of).delete()
    return {"clients": written, "dropped": dropped}
