"""Free win-backs (DOMAIN.md section 3): lost clients that left their owner, for the head's tab and the long lists.

"The 12-month turnover before the loss" is the client's sales in the 365 days up to its last purchase.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.db.models import DateField, ExpressionWrapper, F, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from crm.models import Client, OwnershipChange, SaleLine, User

MONEY_FIELD = SaleLine._meta.get_field("amount")
YEAR_BEFORE = timedelta(days=365)


def win_backs() -> QuerySet[Client]:
    """Free lost clients, biggest former buyers first, each with `last_purchase`, `turnover_before_loss` (the sales
    of the 365 days up to the last purchase), `lost_by_id` and `lost_at` (the latest owner who lost it, when)."""
    last = (
        SaleLine.objects.filter(client=OuterRef("pk")).order_by().values("client").annotate(m=Max("date")).values("m")
    )
    year_before = ExpressionWrapper(OuterRef("last_purchase") - Value(YEAR_BEFORE), output_field=DateField())
    turnover = (
        SaleLine.objects.filter(client=OuterRef("pk"), date__gt=year_before, date__lte=OuterRef("last_purchase"))
        .order_by()
        .values("client")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    lost = OwnershipChange.objects.filter(
        client=OuterRef("pk"), cause=OwnershipChange.Cause.LOST, from_owner__isnull=False
    ).order_by("-at", "-id")
    return (
        Client.objects.filter(owner__isnull=True, status=Client.Status.LOST)
        .annotate(last_purchase=Subquery(last, output_field=DateField()))
        .annotate(
            turnover_before_loss=Coalesce(
                Subquery(turnover, output_field=MONEY_FIELD), Value(Decimal("0")), output_field=MONEY_FIELD
            ),
            lost_by_id=Subquery(lost.values("from_owner_id")[:1]),
            lost_at=Subquery(lost.values("at")[:1]),
        )
        .order_by(F("turnover_before_loss").desc(), "name", "pk")
    )


def attach_lost_by(rows: Sequence[Client]) -> None:
    """Set `row.lost_by` (the User who lost it, or None) and `row.lost_by_all` (ids of everyone who lost it)."""
    ids = [row.pk for row in rows]
    everyone: dict[int, set[int]] = defaultdict(set)
    for client_id, from_owner_id in OwnershipChange.objects.filter(
        client_id__in=ids, cause__in=(OwnershipChange.Cause.LOST, OwnershipChange.Cause.RULE), from_owner__isnull=False
    ).values_list("client_id", "from_owner_id"):
        everyone[client_id].add(from_owner_id)
    users = User.objects.in_bulk({getattr(row, "lost_by_id", None) for row in rows} - {None})
    for row in rows:
        row.lost_by = users.get(getattr(row, "lost_by_id", None))  # type: ignore[attr-defined]
        row.lost_by_all = everyone[row.pk]  # type: ignore[attr-defined]
