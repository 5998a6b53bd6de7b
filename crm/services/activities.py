"""Writes to calls, meetings, e-mails and tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import lock_for_update
from core.params import check_years, in_years, years_message
from core.services import model_update
from crm.models import Activity, ChangeLog, Client, Deal, User
from crm.services.history import changelog_record, snapshot


def _check(activity: Activity, by: User) -> None:
    if not Client.objects.visible_to(by).filter(pk=activity.client_id).exists() or by.role == "service":
        raise PermissionDenied(_("You may not work with this client."))
    if activity.deal_id is not None:
        deal = Deal.objects.filter(pk=activity.deal_id).only("client_id").first()
        if deal is None or deal.client_id != activity.client_id:
            raise ValidationError({"deal": [_("The deal belongs to another client.")]})
    if activity.kind == Activity.Kind.TASK and activity.due_at is None:
        raise ValidationError({"due_at": [_("A task needs a due time.")]})
    if activity.kind != Activity.Kind.CALL and (activity.call_result or activity.duration_seconds):
        raise ValidationError({"call_result": [_("Only calls have a result and a duration.")]})
    if activity.done_at is None and activity.due_at is None:
        raise ValidationError({"due_at": [_("Give either the time it is due or the time it was done.")]})
    # A year 12 is a typo, and its time zone offset (LMT, +02:30:17) is no RFC 3339 offset.
    check_years(activity.due_at, field="due_at")
    check_years(activity.done_at, field="done_at")


def _check_owner(*, owner: User, client_id: int, by: User) -> None:
    """Work given to someone else: the head gives it to anyone, a team lead to his team, and the owner must see the
    client (a manager never gives work to another: `acts_for` is only himself)."""
    if owner.pk == by.pk:
        return
    if not owner.is_active or owner.is_service or not by.acts_for(owner):
        raise ValidationError({"owner": [_("You may not give tasks to this user.")]})
    if not Client.objects.visible_to(owner).filter(pk=client_id).exists():
        raise ValidationError({"owner": [_("This user does not work with this client.")]})


@transaction.atomic
def activity_create(*, by: User, data: dict[str, Any], owner: User | None = None) -> Activity:
    """Log a call, meeting or e-mail, or plan a task, on a client the user may work; `owner`: whose it is (the
    head's or a team lead's choice), by default the user's own."""
    activity = Activity(owner=owner or by, **data)
    _check(activity, by)
    _check_owner(owner=activity.owner, client_id=activity.client_id, by=by)
    activity.full_clean()
    activity.save()
    changelog_record(obj=activity, by=by, action=ChangeLog.Action.CREATE)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by: User, data: dict[str, Any]) -> Activity:
    if not Activity.objects.visible_to(by).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("You may not change this activity."))
    lock_for_update(activity)
    owner_before = activity.owner_id

    def clean(obj: Activity) -> None:
        _check(obj, by)
        if obj.owner_id != owner_before:
            _check_owner(owner=obj.owner, client_id=obj.client_id, by=by)
        obj.full_clean()

    before = snapshot(activity)
    model_update(instance=activity, data=data, clean=clean)
    changelog_record(obj=activity, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return activity


@transaction.atomic
def activity_complete(*, activity: Activity, by: User, done_at: datetime | None = None, note: str = "") -> Activity:
    """Mark a task, call or meeting done."""
    data: dict[str, Any] = {"done_at": done_at or timezone.now()}
    if note:
        data["note"] = (activity.note + "\n" + note).strip()
    return activity_update(activity=activity, by=by, data=data)


@transaction.atomic
def call_log_with_next_task(
    *,
    by: User,
    client: Client,
    deal: Deal | None = None,
    direction: str,
    call_result: str,
    duration_minutes: int | None = None,
    note: str = "",
    next_subject: str,
    next_due_at: datetime | None,
    now: datetime | None = None,
    task: Activity | None = None,
    call_uuid: UUID | None = None,
    next_uuid: UUID | None = None,
) -> tuple[Activity, Activity]:
    """Log a call that just ended and plan the next task in one go: both rows are saved, or neither. `task`: the
    planned task the call was made for, completed in the same transaction (it must be the client's and visible).
    `call_uuid`, `next_uuid`: the UUIDs the client app gave the two rows."""
    now = now or timezone.now()
    if task is not None:
        if not Activity.objects.visible_to(by).filter(pk=task.pk).exists():
            raise PermissionDenied(_("You may not change this activity."))
        if task.client_id != client.pk:
            raise ValidationError(_("The task belongs to another client."))
        if task.done_at is not None:
            raise ValidationError(_("This task is already done."))
    errors: dict[str, list[str]] = {}
    if not call_result:
        errors["call_result"] = [_("Choose the result of the call.")]
    if not direction:
        errors["direction"] = [_("Choose whether the call was incoming or outgoing.")]
    if duration_minutes is not None and duration_minutes < 0:
        errors["duration_minutes"] = [_("The duration cannot be negative.")]
    if not (next_subject or "").strip():
        errors["next_subject"] = [_("Say what the next step is.")]
    if next_due_at is None:
        errors["next_due_at"] = [_("Give the date and time of the next step.")]
    elif next_due_at < now:
        errors["next_due_at"] = [_("The next task cannot be due in the past.")]
    elif not in_years(next_due_at.year):
        errors["next_due_at"] = [years_message()]
    if errors:
        raise ValidationError(errors)
    result_label = Activity.CallResult(call_result).label if call_result in Activity.CallResult.values else call_result
    call = activity_create(
        by=by,
        data={
            "kind": Activity.Kind.CALL,
            "client": client,
            "deal": deal,
            "subject": f"{_('Call')}: {result_label}"[:255],
            "note": note,
            "direction": direction,
            "call_result": call_result,
            "duration_seconds": None if duration_minutes is None else duration_minutes * 60,
            "done_at": now,
            **({"uuid": call_uuid} if call_uuid else {}),
        },
    )
    next_task = activity_create(
        by=by,
        data={
            "kind": Activity.Kind.TASK,
            "client": client,
            "deal": deal,
            "subject": next_subject.strip(),
            "due_at": next_due_at,
            **({"uuid": next_uuid} if next_uuid else {}),
        },
    )
    if task is not None:
        activity_complete(activity=task, by=by, done_at=now)
    return call, next_task


@transaction.atomic
def task_move(*, activity: Activity, by: User, day: date, today: date) -> Activity:
    """Move a planned task to another day, keeping its time of day; a day before `today` is refused (a task is moved
    to when it will be done, and the past is no such day)."""
    if activity.done_at is not None or activity.due_at is None:
        raise ValidationError({"day": [_("Only a planned task can be moved.")]})
    if day < today:
        raise ValidationError({"day": [_("A task cannot be moved to a day that has passed.")]})
    check_years(day, field="day")
    local = timezone.localtime(activity.due_at)
    due_at = timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
    return activity_update(activity=activity, by=by, data={"due_at": due_at})
