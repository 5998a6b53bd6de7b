"""The head's decisions on the 3-month rule's queue: reassign a flagged client, or extend it once with a reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, DepartmentSettings, OwnershipChange, Reassignment, User
from crm.services.ownership import LOST_CAUSES, lost_by

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


# --- Bulk decisions from the queue's bar: each all or nothing, in one transaction ---------------------------------


def _queue_order(flags: Iterable[Reassignment]) -> list[Reassignment]:
    """The flags in the queue's order (flagged on, owned since, id), so a bulk decision is deterministic."""
    return sorted(flags, key=lambda f: (f.flagged_on, f.owned_since, f.pk))


def _bulk_checks(flags: Sequence[Reassignment], by: User, reason: str) -> str:
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head decides on the reassignment queue."))
    if not flags:
        raise ValidationError({"non_field_errors": [_("Choose at least one client in the queue.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why.")]})
    return reason


def _each_or_nothing(
    flags: Sequence[Reassignment], decide: Callable[[Reassignment], Reassignment]
) -> list[Reassignment]:
    """Decide every flag (each in its own savepoint) and, if any is refused, raise every refusal naming its client;
    the caller's transaction then writes nothing."""
    done: list[Reassignment] = []
    refusals: list[str] = []
    for flag in flags:
        try:
            done.append(decide(flag))
        except ValidationError as exc:
            why = " ".join(exc.messages)
            refusals.append(_("%(client)s: %(why)s") % {"client": flag.client, "why": why})
    if refusals:
        raise ValidationError({"non_field_errors": refusals})
    return done


@transaction.atomic
def flags_reassign_bulk(
    *,
    flags: Sequence[Reassignment],
    to_owner: User,
    by: User,
    reason: str,
    today: date,
    now: datetime | None = None,
) -> list[Reassignment]:
    """Give every flagged client to `to_owner` (the rules of `reassignment_reassign` for each); all or nothing."""
    reason = _bulk_checks(flags, by, reason)
    now = now or timezone.now()
    return _each_or_nothing(
        _queue_order(flags),
        lambda flag: reassignment_reassign(
            reassignment=flag, to_owner=to_owner, by=by, reason=reason, today=today, now=now
        ),
    )


def spread_plan(flags: Sequence[Reassignment], managers: Sequence[User]) -> tuple[dict[int, User], list[str]]:
    """Who takes each flag's client when the flags are spread over `managers` (2 queries), and the refusals.

    Each manager's load is the number of clients he owns now. In the queue's order, each client goes to the
    currently lightest manager who may take it: never its current owner nor a manager who lost it before (the rule
    of `client_owners_set`); ties go by name (last, first) then id. Every move updates the loads: the taker gains a
    client and, when he is among `managers`, the old owner loses one.
    """
    people = {user.pk: user for user in managers if user.is_seller and user.is_active}
    load = dict.fromkeys(people, 0)
    for row in Client.objects.filter(owner_id__in=people).order_by().values("owner_id").annotate(n=Count("pk")):
        load[row["owner_id"]] = row["n"]
    ordered = _queue_order(flags)
    lost = lost_by([flag.client_id for flag in ordered])
    plan: dict[int, User] = {}
    refusals: list[str] = []
    for flag in ordered:
        owner_id = flag.client.owner_id
        barred = set(lost.get(flag.client_id, {})) | {owner_id}
        eligible = [user for pk, user in people.items() if pk not in barred]
        if not eligible:
            refusals.append(
                _("%(client)s: none of the chosen managers may take it (it is theirs now or they lost it before).")
                % {"client": flag.client}
            )
            continue
        taker = min(eligible, key=lambda u: (load[u.pk], u.last_name, u.first_name, u.pk))
        plan[flag.pk] = taker
        load[taker.pk] += 1
        if owner_id in load:
            load[owner_id] -= 1  # type: ignore[index]
    return plan, refusals


@transaction.atomic
def flags_spread(
    *,
    flags: Sequence[Reassignment],
    managers: Sequence[User],
    by: User,
    reason: str,
    today: date,
    now: datetime | None = None,
) -> list[Reassignment]:
    """Spread the flagged clients evenly over `managers`, the lightest first (see `spread_plan`); all or nothing."""
    reason = _bulk_checks(flags, by, reason)
    if not managers:
        raise ValidationError({"managers": [_("Choose the managers to spread the clients over.")]})
    plan, refusals = spread_plan(flags, managers)
    if refusals:
        raise ValidationError({"non_field_errors": refusals})
    now = now or timezone.now()
    return _each_or_nothing(
        _queue_order(flags),
        lambda flag: reassignment_reassign(
            reassignment=flag, to_owner=plan[flag.pk], by=by, reason=reason, today=today, now=now
        ),
    )


@transaction.atomic
def flags_extend_bulk(
    *, flags: Sequence[Reassignment], by: User, reason: str, today: date, now: datetime | None = None
) -> list[Reassignment]:
    """Extend every flagged client once (the rules of `reassignment_extend` for each); all or nothing."""
    reason = _bulk_checks(flags, by, reason)
    now = now or timezone.now()
    return _each_or_nothing(
        _queue_order(flags),
        lambda flag: reassignment_extend(reassignment=flag, by=by, reason=reason, today=today, now=now),
    )
