"""Writes to the programme's list (seed 002 steps 2-4, 7): clients on the list, personal lists, campaigns and their
staff, the call script and the call that sets the meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crm.models import Activity, ChangeLog, Client, Role, User
from crm.services.activities import call_log_with_next_task
from crm.services.history import changelog_record, snapshot
from vip.models import Campaign, ProgrammeClient, StaffAssignment, VipCallScript
from vip.models.programme import runs_programme
from vip.rules.split import split_evenly


@transaction.atomic
def programme_client_add(
    *, client: Client, by: User, tier: str = ProgrammeClient.Tier.YEARLY, reason: str = ""
) -> ProgrammeClient:
    """Put a client on the list, worked by its owner; `reason` says why a client added by hand is there."""
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head keeps the programme's list."))
    entry = ProgrammeClient(
        client=client, tier=tier, added_by=by, added_reason=reason.strip(), assigned_to=client.owner
    )
    entry.full_clean()
    entry.save()
    changelog_record(obj=entry, by=by, action=ChangeLog.Action.CREATE)
    return entry


@transaction.atomic
def programme_client_assign(
    *, entry: ProgrammeClient, employee: User | None, by: User, reason: str = "", note: str = ""
) -> ProgrammeClient:
    """Give the client to an employee for the programme; anyone but the owner needs a reason. The owner keeps the
    client in sales."""
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head splits the list into personal lists."))
    entry = ProgrammeClient.objects.select_for_update().select_related("client").get(pk=entry.pk)
    before = snapshot(entry, ["assigned_to_id", "assign_reason", "assign_note"])
    entry.assigned_to = employee
    owner = employee is not None and employee.pk == entry.client.owner_id
    entry.assign_reason = "" if owner else reason
    entry.assign_note = "" if owner else note.strip()
    entry.full_clean()
    entry.save()
    changelog_record(obj=entry, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return entry


def _require_head(by: User, message: str) -> None:
    if not runs_programme(by):
        raise PermissionDenied(message)


def is_corporate(client: Client) -> bool:
    """A legal entity: a 10-digit INN (a person's or a sole trader's INN has 12 digits)."""
    return len(client.inn) == 10


@transaction.atomic
def programme_clients_add(
    *, clients: Sequence[Client], by: User, tier: str = ProgrammeClient.Tier.YEARLY
) -> list[ProgrammeClient]:
    """Put several clients of the base on the list at once, each worked by its owner: all of them, or none."""
    _require_head(by, _("Only the VIP head keeps the programme's list."))
    if not clients:
        raise ValidationError(_("Pick at least one client."))
    on_list = set(ProgrammeClient.objects.filter(client__in=clients).values_list("client__name", flat=True))
    if on_list:
        raise ValidationError(_("Already on the list: %(names)s.") % {"names": ", ".join(sorted(on_list))})
    return [programme_client_add(client=client, by=by, tier=tier) for client in clients]


@transaction.atomic
def programme_client_add_by_hand(*, client: Client, by: User, reason: str) -> ProgrammeClient:
    """Add one of the most important private clients (seed 002 step 2): the reason is required."""
    _require_head(by, _("Only the VIP head keeps the programme's list."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this client is on the list.")]})
    if ProgrammeClient.objects.filter(client=client).exists():
        raise ValidationError({"client": [_("This client is already on the list.")]})
    return programme_client_add(client=client, by=by, reason=reason)


@transaction.atomic
def programme_client_remove(*, entry: ProgrammeClient, by: User) -> None:
    """Take a client off the list; its questionnaires and problems stay (they are the client's history)."""
    _require_head(by, _("Only the VIP head keeps the programme's list."))
    changelog_record(obj=entry, by=by, action=ChangeLog.Action.DELETE)
    entry.delete()


def campaign_staff(campaign: Campaign) -> list[User]:
    return [a.user for a in campaign.assignments.select_related("user").order_by("user__last_name", "user_id")]


@transaction.atomic
def programme_clients_assign(
    *,
    entries: Sequence[ProgrammeClient],
    campaign: Campaign,
    by: User,
    employee: User | None = None,
    split: bool = False,
    reason: str = "",
    note: str = "",
) -> dict[int, User]:
    """Give the picked clients to one person of the campaign's staff, or split them evenly over the staff (a client
    stays with its owner where the owner is staff). Anyone but the owner needs the reason; all of them, or none."""
    _require_head(by, _("Only the VIP head splits the list into personal lists."))
    if not entries:
        raise ValidationError(_("Pick at least one client."))
    staff = campaign_staff(campaign)
    if split:
        if not staff:
            raise ValidationError(_("The campaign has no staff yet."))
        by_id = {u.pk: u for u in staff}
        plan = split_evenly([(e.pk, e.client.owner_id) for e in entries], list(by_id))
        targets = {pk: by_id[user_id] for pk, user_id in plan.items()}
    else:
        if employee is None:
            raise ValidationError({"employee": [_("Choose the employee, or split evenly.")]})
        if employee.pk not in {u.pk for u in staff}:
            raise ValidationError({"employee": [_("This person is not on the campaign's staff.")]})
        targets = {e.pk: employee for e in entries}
    for entry in entries:
        programme_client_assign(entry=entry, employee=targets[entry.pk], by=by, reason=reason, note=note)
    return targets


@transaction.atomic
def campaign_create(*, by: User, name: str, start: date, weeks: int) -> Campaign:
    _require_head(by, _("Only the VIP head plans campaigns."))
    campaign = Campaign(name=name.strip(), start=start, weeks=weeks)
    campaign.full_clean()
    campaign.save()
    changelog_record(obj=campaign, by=by, action=ChangeLog.Action.CREATE)
    return campaign


@transaction.atomic
def campaign_staff_set(*, campaign: Campaign, user: User, load: str, by: User) -> StaffAssignment:
    """Give a person to the campaign, dedicated or part-time (or change his load)."""
    _require_head(by, _("Only the VIP head assigns staff."))
    if not user.is_active or not (user.is_seller or user.role == Role.VIP_HEAD):
        raise ValidationError({"user": [_("Only sales people can work in the programme.")]})
    assignment = StaffAssignment.objects.filter(campaign=campaign, user=user).first()
    if assignment is None:
        assignment = StaffAssignment(campaign=campaign, user=user, load=load)
        assignment.full_clean()
        assignment.save()
        changelog_record(obj=assignment, by=by, action=ChangeLog.Action.CREATE)
        return assignment
    before = snapshot(assignment, ["load"])
    assignment.load = load
    assignment.full_clean()
    assignment.save()
    changelog_record(obj=assignment, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return assignment


@transaction.atomic
def campaign_staff_remove(*, assignment: StaffAssignment, by: User) -> None:
    _require_head(by, _("Only the VIP head assigns staff."))
    changelog_record(obj=assignment, by=by, action=ChangeLog.Action.DELETE)
    assignment.delete()


DEFAULT_CALL_SCRIPT = gettext_noop(
    "Our company has started a new programme to raise the quality of service. You are our long-standing and trusted "
    "partners, and your opinion as an expert on this is extremely important to us. So we would like to meet you to "
    "ask you a few questions from a specially prepared form. The meeting takes about an hour, and I am ready to come "
    "to your office at a time convenient for you. When would it suit you to meet?"
)


def call_script_text() -> str:
    """The VIP head's script, else the seed's (step 7)."""
    script = VipCallScript.objects.order_by("-id").first()
    return script.text if script else _(DEFAULT_CALL_SCRIPT)


@transaction.atomic
def call_script_set(*, text: str, by: User) -> VipCallScript:
    _require_head(by, _("Only the VIP head edits the call script."))
    script = VipCallScript.objects.select_for_update().order_by("-id").first()
    if script is None:
        script = VipCallScript(text=text.strip(), updated_by=by)
        script.full_clean()
        script.save()
        changelog_record(obj=script, by=by, action=ChangeLog.Action.CREATE)
        return script
    before = snapshot(script, ["text"])
    script.text, script.updated_by = text.strip(), by
    script.full_clean()
    script.save()
    changelog_record(obj=script, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return script


MEETING_SUBJECT = gettext_noop("VIP meeting with the questionnaire")
CALL_AGAIN_SUBJECT = gettext_noop("Call again to set the VIP meeting")


@transaction.atomic
def meeting_call_log(
    *,
    entry: ProgrammeClient,
    by: User,
    call_result: str,
    note: str = "",
    meeting_at: datetime | None,
    now: datetime | None = None,
) -> tuple[Activity, Activity]:
    """The call to set the meeting (seed 002 step 7): a CRM call with its result, and the meeting as a CRM task.
    Only the employee of the entry (or the VIP head) calls; crm's own rules decide whether he may work the client."""
    if not (runs_programme(by) or entry.assigned_to_id == by.pk):
        raise PermissionDenied(_("This client is not on your personal list."))
    return call_log_with_next_task(
        by=by,
        client=entry.client,
        direction=Activity.Direction.OUTGOING,
        call_result=call_result,
        note=note,
        next_subject=_(MEETING_SUBJECT if call_result == Activity.CallResult.REACHED else CALL_AGAIN_SUBJECT),
        next_due_at=meeting_at,
        now=now,
    )
