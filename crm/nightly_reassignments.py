"""The 3-month rule's nightly job (DOMAIN.md sections 3 and 8): flag the clients the head must decide on."""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.models import Client, Deal, DepartmentSettings, Reassignment
from crm.stages import CONCLUDED_STAGES

logger = logging.getLogger(__name__)

OPEN_FLAGS = (Reassignment.Status.PENDING, Reassignment.Status.EXTENDED)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_date(owned_since: date, months: int) -> date:
    """The day the rule catches a client owned since `owned_since` without a concluded deal."""
    return add_months(owned_since, months)


def latest_owned_since(as_of: date, months: int) -> date:
    """The latest `owned_since` whose rule date is on or before `as_of`: a plain index range for the database.

    `add_months` is monotone, so the clients the rule catches are exactly those owned since this day or earlier;
    at a month's end several start days share one rule date (30 and 31 November both reach 28 February).
    """
    cutoff = add_months(as_of, -months)
    while rule_date(cutoff + timedelta(days=1), months) <= as_of:
        cutoff += timedelta(days=1)
    return cutoff


def concluded_deal_of_owner(client_ref: str = "pk", owner_ref: str = "owner_id") -> QuerySet[Deal]:
    """Deals of the client, owned by the client's (or the flag's) manager, past the contract stage."""
    return Deal.objects.filter(
        client_id=OuterRef(client_ref), owner_id=OuterRef(owner_ref), stage__in=CONCLUDED_STAGES
    ).order_by()


def rule_candidates(as_of: date, months: int) -> QuerySet[Client]:
    """Owned clients past the rule date, with no concluded deal of their owner and no flag for this ownership."""
    same_period = Reassignment.objects.filter(
        client_id=OuterRef("pk"), owner_id=OuterRef("owner_id"), owned_since=OuterRef("owned_since")
    )
    return (
        Client.objects.filter(owner__isnull=False, owned_since__lte=latest_owned_since(as_of, months))
        .exclude(Exists(concluded_deal_of_owner()))
        .exclude(Exists(same_period))
        .order_by()
    )


@transaction.atomic
def reassignment_flags_refresh(as_of: date) -> dict[str, int]:
    """Resolve stale flags, bring expired extensions back, flag the clients the rule catches on `as_of`.

    Every step is a single set-based statement, and each one excludes what it already did, so a second run
    for the same day changes nothing. An extension covers its `extended_until` day; the flag is pending
    again from the day after (the same flag row: one per ownership, so a client is extended only once).
    """
    months = DepartmentSettings.current().reassign_after_months
    now = timezone.now()
    open_flags = Reassignment.objects.filter(status__in=OPEN_FLAGS)

    # The client changed hands (or its clock restarted) or the flagged owner concluded a deal: nothing to decide.
    changed_hands = ~Q(client__owner_id=F("owner_id")) | ~Q(client__owned_since=F("owned_since"))
    concluded = Exists(concluded_deal_of_owner(client_ref="client_id", owner_ref="owner_id"))
    stale_ids = open_flags.filter(changed_hands | Q(client__owner__isnull=True) | concluded).values("pk")
    resolved = Reassignment.objects.filter(pk__in=stale_ids).update(
        status=Reassignment.Status.RESOLVED, decided_at=now, decided_by=None, updated_at=now
    )

    returned = Reassignment.objects.filter(status=Reassignment.Status.EXTENDED, extended_until__lt=as_of).update(
        status=Reassignment.Status.PENDING, flagged_on=as_of, updated_at=now
    )

    before = Reassignment.objects.count()
    Reassignment.objects.bulk_create(
        (
            # owned_since is never null here: the candidates are filtered on it.
            Reassignment(client_id=pk, owner_id=owner_id, owned_since=owned_since, flagged_on=as_of)  # type: ignore[misc]
            for pk, owner_id, owned_since in rule_candidates(as_of, months).values_list("pk", "owner_id", "owned_since")
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )
    flagged = Reassignment.objects.count() - before
    counts = {"flagged": flagged, "back_from_extension": returned, "resolved": resolved}
    logger.info("3-month rule as of %s: %s", as_of, counts)
    return counts
