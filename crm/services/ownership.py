"""The one write of a client's owner (DOMAIN.md section 3).

Every path that gives a client to a manager - the head's reassignment queue, `POST clients/{id}/reassign/`, the
admin, a prospect-list claim, a new client, an import - calls `client_owners_set`. It refuses a manager who lost the
client before, restarts the 3-month clock, moves the client's open deals and planned activities along, records the
ownership change with its reason, and writes the change log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Activity, ChangeLog, Client, Deal, OwnershipChange, User
from crm.services.history import changelog_record, snapshot

OWNER_FIELDS = ["owner_id", "owned_since"]


def lost_by(client_ids: Sequence[int]) -> dict[int, set[int]]:
    """Per client, the managers who lost it: everyone it was ever taken from (one query)."""
    lost: dict[int, set[int]] = defaultdict(set)
    rows = OwnershipChange.objects.filter(client_id__in=client_ids, from_owner__isnull=False).values_list(
        "client_id", "from_owner_id"
    )
    for client_id, manager_id in rows:
        lost[client_id].add(manager_id)
    return lost


def owner_refusal(*, client: Client, to_owner: User | None) -> str:
    """Why `to_owner` may not take `client` ('' when he may): he lost it before."""
    if to_owner is not None and client.pk and to_owner.pk in lost_by([client.pk]).get(client.pk, set()):
        return _("This manager lost this client before: a lost client is never handed back.")
    return ""


def _work_moves(*, client_ids: Sequence[int], to_owner: User, by: User, now: datetime) -> None:
    """A reassigned client takes its work along (DOMAIN.md section 3): its open deals (each change kept in the
    deal's history) and its planned activities go to the new owner; closed deals and past activities stay with
    whoever did them."""
    deals = list(
        Deal.objects.open().filter(client_id__in=client_ids).exclude(owner=to_owner).values_list("pk", "owner_id")
    )
    Deal.objects.filter(pk__in=[pk for pk, _owner in deals]).update(owner=to_owner, updated_at=now)
    deal_type = ContentType.objects.get_for_model(Deal)
    ChangeLog.objects.bulk_create(
        ChangeLog(
            content_type=deal_type,
            object_id=pk,
            action=ChangeLog.Action.UPDATE,
            changes={"owner_id": [previous, to_owner.pk]},
            by=by if by.pk else None,
        )
        for pk, previous in deals
    )
    Activity.objects.planned().filter(client_id__in=client_ids).exclude(owner=to_owner).update(
        owner=to_owner, updated_at=now
    )


@transaction.atomic
def client_owners_set(
    *,
    clients: Sequence[Client],
    to_owner: User | None,
    by: User,
    reason: str,
    today: date | None = None,
    unowned_only: bool = False,
    log: bool = True,
) -> list[Client]:
    """Give saved `clients` to `to_owner` from `today` (his 3-month clock starts then); `None` frees them.

    Refused (ValidationError on `owner`) for a manager who lost one of them, and for a client that already belongs
    to him; with `unowned_only`, for a client someone owns by the time its row is locked (so of two simultaneous
    claims exactly one wins). `log=False` leaves the change log to a caller that records the new client whole.
    Permissions are the caller's: each path has its own rule of who may hand out clients.
    """
    if to_owner is not None and not (to_owner.is_seller and to_owner.is_active):
        raise ValidationError({"owner": [_("Only an active sales manager or team lead can own clients.")]})
    if not clients:
        return []
    ids = [client.pk for client in clients]
    locked = {c.pk: c for c in Client.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
    lost = lost_by(ids)
    for pk in ids:
        current = locked[pk]
        if to_owner is not None and to_owner.pk in lost.get(pk, set()):
            raise ValidationError(
                {"owner": [_("This manager lost this client before: a lost client is never handed back.")]}
            )
        if to_owner is not None and current.owner_id == to_owner.pk:
            raise ValidationError({"owner": [_("The client already belongs to this manager.")]})
        if unowned_only and current.owner_id is not None:
            raise ValidationError({"owner": [_("The client already belongs to another manager.")]})
    start = (today or timezone.localdate()) if to_owner is not None else None
    now = timezone.now()
    Client.objects.filter(pk__in=ids).update(owner=to_owner, owned_since=start, updated_at=now)
    reason = reason.strip()
    OwnershipChange.objects.bulk_create(
        OwnershipChange(client_id=pk, from_owner_id=locked[pk].owner_id, to_owner=to_owner, by=by, reason=reason)
        for pk in ids
    )
    if to_owner is not None:
        _work_moves(client_ids=ids, to_owner=to_owner, by=by, now=now)
    for client in clients:
        before = snapshot(locked[client.pk], OWNER_FIELDS)
        client.owner, client.owned_since, client.updated_at = to_owner, start, now
        if log:
            changelog_record(obj=client, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return list(clients)


def client_owner_set(
    *,
    client: Client,
    to_owner: User | None,
    by: User,
    reason: str,
    today: date | None = None,
    unowned_only: bool = False,
) -> Client:
    """`client_owners_set` for one client."""
    client_owners_set(clients=[client], to_owner=to_owner, by=by, reason=reason, today=today, unowned_only=unowned_only)
    return client
