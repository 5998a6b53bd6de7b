"""Giving a free win-back (a lost client that left its owner) to a manager: the head's tab, a long-list offer."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import Client, LongListEntry, User
from crm.services.ownership import client_owner_set


@transaction.atomic
def win_back_assign(*, client: Client, to_owner: User, by: User, reason: str = "", today: date | None = None) -> Client:
    """The head gives a free win-back to a manager; refused for a manager who lost it, or once someone has it."""
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head gives win-back clients to managers."))
    reason = reason.strip() or _("Win-back")
    return client_owner_set(client=client, to_owner=to_owner, by=by, reason=reason, today=today, unowned_only=True)


@transaction.atomic
def win_back_take(*, entry: LongListEntry, by: User, today: date | None = None) -> Client:
    """A manager takes the free win-back his long list offers him: it becomes his (of two takers one wins)."""
    if entry.long_list.owner_id != by.pk:
        raise PermissionDenied(_("Only the manager whose long list offers the client takes it."))
    if entry.reason != LongListEntry.Reason.WIN_BACK:
        raise ValidationError(_("Only a win-back client on your long list can be taken."))
    return client_owner_set(
        client=entry.client, to_owner=by, by=by, reason=_("Win-back from the long list"), today=today, unowned_only=True
    )
