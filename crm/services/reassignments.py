"""The head's decisions on the 3-month rule's queue: reassign a flagged client, or extend it once with a reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, DepartmentSettings, OwnershipChange, Reassignment, User
from crm.services.ownership import LOST_CAUSES

from .clients import client_reassign
from .history import changelog_record, snapshot

DECISION_FIELDS = ["status", "new_owner_id", "extended_until", "reason", "decided_by_id", "decided_at"]


def sellers_by_load() -> QuerySet[User]:
    """Active sellers with `load`, the number of clients they own, lightest first (one aggregate query)."""
    return (
        User.objects.sellers()
        .select_related("team")
        .annotate(load=Count("clients"))
        .order_by("load", "last_name", "first_name", "id")
    )


def suggest_new_owners(client: Client) -> list[User]:
    """Who may take the client, lightest load first: never its current owner nor anyone who lost it before."""
    lost_it = OwnershipChange.objects.filter(client=client, from_owner__isnull=False, cause__in=LOST_CAUSES).values(
        "from_owner_id"
    )
    return list(sellers_by_load().exclude(Q(pk=client.owner_id) | Q(pk__in=lost_it)))


def _decidable(reassignment: Reassignment, by: User, reason: str) -> tuple[Reassignment, str]:
    """The flag locked for the decision, after the checks both decisions share."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head decides on the reassignment queue."))
    reason = (reason or "").strip()
    flag = Reassignment.objects.select_for_update().select_related("client").get(pk=reassignment.pk)
    if flag.status != Reassignment.Status.PENDING:
        message = _("This client is not waiting for a decision any more (%(status)s).")
        raise ValidationError({"non_field_errors": [message % {"status": flag.get_status_display()}]})
    if flag.client.owner_id != flag.owner_id or flag.client.owned_since != flag.owned_since:
        raise ValidationError({"non_field_errors": [_("The client has changed hands since it was flagged.")]})
    if not reason:
        raise ValidationError({"reason": [_("Say why.")]})
    return flag, reason


def _record(flag: Reassignment, by: User, before: dict[str, object]) -> None:
    flag.save()
    changelog_record(obj=flag, by=by, action=ChangeLog.Action.UPDATE, before=before)


@transaction.atomic
def reassignment_reassign(
    *, reassignment: Reassignment, to_owner: User, by: User, reason: str, today: date, now: datetime | None = None
) -> Reassignment:
    """Give the flagged client to `to_owner`; his clock starts `today`. Never back to a manager who lost it."""
    flag, reason = _decidable(reassignment, by, reason)
    # The ownership service refuses the current owner and anyone who lost the client before.
    client_reassign(
        client=flag.client, to_owner=to_owner, by=by, reason=reason, today=today, cause=OwnershipChange.Cause.RULE
    )
    before = snapshot(flag, DECISION_FIELDS)
    flag.status = Reassignment.Status.REASSIGNED
    flag.new_owner = to_owner
    flag.reason = reason
    flag.decided_by = by
    flag.decided_at = now or timezone.now()
    _record(flag, by, before)
    return flag


@transaction.atomic
def reassignment_extend(
    *, reassignment: Reassignment, by: User, reason: str, today: date, now: datetime | None = None
) -> Reassignment:
    """Leave the client with its manager for the department's extension days: once per ownership, with a reason."""
    flag, reason = _decidable(reassignment, by, reason)
    if flag.extended_until is not None:
        raise ValidationError(
            {"non_field_errors": [_("This client was already extended once; now it must be reassigned.")]}
        )
    before = snapshot(flag, DECISION_FIELDS)
    flag.status = Reassignment.Status.EXTENDED
    flag.extended_until = today + timedelta(days=DepartmentSettings.current().reassign_extension_days)
    flag.reason = reason
    flag.decided_by = by
    flag.decided_at = now or timezone.now()
    _record(flag, by, before)
    return flag
