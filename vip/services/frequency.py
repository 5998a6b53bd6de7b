"""The monthly recalculation of the Pareto tiers and every programme client's next due meeting (docs/vip.md).

A constant number of queries whatever the size of the list: one aggregate read (12-month revenue and the last
complete questionnaire of every programme client) and one `bulk_update`. A nightly, set-based write of derived
figures: no change-log row per client (the tiers are recomputed from the sales each month; the job's counts are
kept on its nightly run).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from vip.models import ProgrammeClient, Questionnaire
from vip.rules.frequency import next_due, pareto_tiers, revenue_window


def programme_revenues(as_of: date) -> list[Any]:
    """Every programme client with `revenue` (12 full months before `as_of`'s month) and `last_met` (the meeting
    date of its last complete questionnaire), ordered by client id; one query."""
    start, end = revenue_window(as_of)
    last_met = (
        Questionnaire.objects.filter(client_id=OuterRef("client_id"), status=Questionnaire.Status.COMPLETE)
        .values("client_id")
        .annotate(last=Max("meeting_date"))
        .values("last")
    )
    return list(
        ProgrammeClient.objects.annotate(
            revenue=Coalesce(
                Sum("client__sales__amount", filter=Q(client__sales__date__range=(start, end))),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            last_met=Subquery(last_met),
        ).order_by("client_id")
    )


def frequencies_refresh(*, as_of: date) -> dict[str, int]:
    """Recompute every programme client's tier, 12-month revenue and next due date; returns the tiers' counts."""
    entries = programme_revenues(as_of)
    tiers = pareto_tiers(
        [(entry.pk, entry.revenue) for entry in entries],
        share=settings.VIP_KEY_REVENUE_SHARE,
        top_n=settings.VIP_MONTHLY_TOP_N,
        top_percent=settings.VIP_MONTHLY_TOP_PERCENT,
    )
    counts = {"monthly": 0, "quarterly": 0, "yearly": 0, "overdue": 0}
    for entry in entries:
        entry.tier = tiers[entry.pk]
        entry.revenue_12m = entry.revenue
        entry.next_due = next_due(entry.tier, entry.last_met, as_of)
        entry.tiered_on = as_of
        counts[entry.tier] += 1
        counts["overdue"] += entry.next_due < as_of
    ProgrammeClient.objects.bulk_update(entries, ["tier", "revenue_12m", "next_due", "tiered_on"], batch_size=1000)
    return counts
