"""The CRM's nightly jobs (DOMAIN.md section 8): set-based, idempotent, dated by their `as_of` argument."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from crm.models import Activity, ChangeLog, Client, Deal, SaleLine

logger = logging.getLogger(__name__)

# A client that has not bought for this many full calendar months is lost (DOMAIN.md sections 3 and 8).
LOST_AFTER_MONTHS = 5
UPDATE_CHUNK = 5000


def months_back(day: date, months: int) -> date:
    """The first day of the calendar month `months` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def client_statuses_refresh(as_of: date, *, months: int = LOST_AFTER_MONTHS) -> dict[str, int]:
    """Derive every client's status from its sales up to `as_of`; count the clients whose status changed.

    active: a sale (paid or not) in the `months` full calendar months before the month of `as_of`, or in that
    month up to `as_of`; lost: sales before that window only; prospect: no sale up to `as_of`.
    """
    window_start = months_back(as_of, months)
    sales = SaleLine.objects.filter(client=OuterRef("pk"), date__lte=as_of)
    derived = Case(
        When(Exists(sales.filter(date__gte=window_start)), then=Value(Client.Status.ACTIVE)),
        When(Exists(sales), then=Value(Client.Status.LOST)),
        default=Value(Client.Status.PROSPECT),
        output_field=CharField(),
    )
    changed = list(
        Client.objects.annotate(derived=derived)
        .exclude(status=F("derived"))
        .order_by()
        .values_list("pk", "status", "derived")
    )
    now = timezone.now()
    counts = {f"became_{status}": 0 for status in Client.Status.values}
    for status in Client.Status.values:
        ids = [pk for pk, _old, new in changed if new == status]
        counts[f"became_{status}"] = len(ids)
        for start in range(0, len(ids), UPDATE_CHUNK):
            # updated_at moves too, so mobile clients syncing with `updated_since` see the new status.
            Client.objects.filter(pk__in=ids[start : start + UPDATE_CHUNK]).update(status=status, updated_at=now)
    client_type = ContentType.objects.get_for_model(Client)
    ChangeLog.objects.bulk_create(
        (
            ChangeLog(
                content_type=client_type,
                object_id=pk,
                action=ChangeLog.Action.UPDATE,
                changes={"status": [old, new]},
                by=None,
            )
            for pk, old, new in changed
        ),
        batch_size=2000,
    )
    logger.info("client statuses as of %s: %s", as_of, counts)
    return counts


def deal_hygiene_snapshot(as_of: date) -> dict[str, Any]:
    """Per manager, the active deals without an open task and those with an overdue task at the end of `as_of`.

    Tasks are taken as they stood at that moment (created before it, not done before it); deals as they stand now.
    """
    moment = end_of_day(as_of)
    planned = Activity.objects.filter(deal=OuterRef("pk"), due_at__isnull=False, created_at__lt=moment).filter(
        Q(done_at__isnull=True) | Q(done_at__gte=moment)
    )
    rows = (
        Deal.objects.active()
        .filter(created_at__lt=moment)
        .values("owner__username")
        .annotate(
            deals=Count("pk"),
            without_open_task=Count("pk", filter=~Exists(planned)),
            with_overdue_task=Count("pk", filter=Exists(planned.filter(due_at__lt=moment))),
        )
        .order_by("owner__username")
    )
    by_manager: dict[str, dict[str, int]] = {}
    for row in rows:
        by_manager[row["owner__username"]] = {
            "deals": row["deals"],
            "without_open_task": row["without_open_task"],
            "with_overdue_task": row["with_overdue_task"],
        }
        if row["without_open_task"] or row["with_overdue_task"]:
            logger.info(
                "deal hygiene as of %s: %s has %d active deals without an open task and %d with an overdue task",
                as_of,
                row["owner__username"],
                row["without_open_task"],
                row["with_overdue_task"],
            )
    return {
        "deals": sum(m["deals"] for m in by_manager.values()),
        "without_open_task": sum(m["without_open_task"] for m in by_manager.values()),
        "with_overdue_task": sum(m["with_overdue_task"] for m in by_manager.values()),
        "by_manager": by_manager,
    }
