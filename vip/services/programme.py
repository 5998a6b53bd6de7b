"""Writes to the programme's list (seed 002 steps 2 and 4): a client on the list, and its employee in the programme."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, User
from crm.services.history import changelog_record, snapshot
from vip.models import ProgrammeClient
from vip.models.programme import runs_programme


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
