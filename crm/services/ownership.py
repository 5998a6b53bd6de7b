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
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Activity, ChangeLog, Client, Deal, OwnershipChange, Tombstone, User
from crm.services.history import changelog_record, snapshot
from crm.sync import clients_arrived, clients_leaving

OWNER_FIELDS = ["owner_id", "owned_since"]
RELEASE_CHUNK = 5000


# A manager *lost* a client when it became lost while he owned it, or when the 3-month rule took it from him
# (DOMAIN.md section 3); a client the head simply moved may come back to him.
LOST_CAUSES = (OwnershipChange.Cause.RULE, OwnershipChange.Cause.LOST)


def lost_by(client_ids: Sequence[int]) -> dict[int, dict[int, OwnershipChange]]:
    """Per client, the managers who lost it, each with the change that took it from him (one query)."""
    lost: dict[int, dict[int, OwnershipChange]] = defaultdict(dict)
    rows = OwnershipChange.objects.filter(client_id__in=client_ids, cause__in=LOST_CAUSES, from_owner__isnull=False)
    for change in rows.order_by("at", "pk"):
        lost[change.client_id][change.from_owner_id] = change  # type: ignore[index]
    return lost


def lost_message(change: OwnershipChange) -> str:
    """Why a manager may not have a client back, with the date and the reason: a sentence for the user."""
    message = _("This manager lost this client on %(date)s (%(cause)s%(reason)s): a lost client is never handed back.")
    reason = f": {change.reason}" if change.reason else ""
    date_text = timezone.localdate(change.at).strftime("%d.%m.%Y")
    return message % {"date": date_text, "cause": change.get_cause_display(), "reason": reason}


def owner_refusal(*, client: Client, to_owner: User | None) -> str:
    """Why `to_owner` may not take `client` ('' when he may): he lost it before."""
    if to_owner is None or not client.pk:
        return ""
    change = lost_by([client.pk]).get(client.pk, {}).get(to_owner.pk)
    return lost_message(change) if change else ""


def _work_moves(*, client_ids: Sequence[int], to_owner: User, by: User, now: datetime) -> None:
    """A reassigned client takes its work along (DOMAIN.md section 3): its open deals (each change kept in the
    deal's history) and its planned activities go to the new owner; closed deals and past activities stay with
    whoever did them."""
    deals = list(
        Deal.objects.open().filter(client_id__in=client_ids).exclude(owner=to_owner).values_list("pk", "owner_id")
    )
    Deal.objects.filter(pk__in=[pk for pk, _owner in deals]).update(
        owner=to_owner, updated_at=now, revision=F("revision") + 1
    )
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
        owner=to_owner, updated_at=now, revision=F("revision") + 1
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
    cause: str = OwnershipChange.Cause.ASSIGNED,
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
        if to_owner is not None and (change := lost.get(pk, {}).get(to_owner.pk)):
            raise ValidationError({"owner": [lost_message(change)]})
        if to_owner is not None and current.owner_id == to_owner.pk:
            raise ValidationError({"owner": [_("The client already belongs to this manager.")]})
        if unowned_only and current.owner_id is not None:
            raise ValidationError({"owner": [_("The client already belongs to another manager.")]})
    start = (today or timezone.localdate()) if to_owner is not None else None
    now = timezone.now()
    # The phones of the previous owners (and of their team leads) drop the clients with their work (mobile sync).
    clients_leaving([pk for pk in ids if locked[pk].owner_id], reason=Tombstone.Reason.REASSIGNED, now=now)
    Client.objects.filter(pk__in=ids).update(
        owner=to_owner, owned_since=start, updated_at=now, revision=F("revision") + 1
    )
    reason = reason.strip()
    OwnershipChange.objects.bulk_create(
        OwnershipChange(
            client_id=pk, from_owner_id=locked[pk].owner_id, to_owner=to_owner, by=by, reason=reason, cause=cause
        )
        for pk in ids
    )
    if to_owner is not None:
        _work_moves(client_ids=ids, to_owner=to_owner, by=by, now=now)
        clients_arrived(ids, now=now)
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
    cause: str = OwnershipChange.Cause.ASSIGNED,
) -> Client:
    """`client_owners_set` for one client."""
    client_owners_set(
        clients=[client], to_owner=to_owner, by=by, reason=reason, today=today, unowned_only=unowned_only, cause=cause
    )
    return client


@transaction.atomic
def lost_clients_release(rows: Sequence[tuple[int, int, date | None, date]]) -> int:
    """Free clients that became lost while their owner had them (the nightly's `lost_clients_free` picks them).

    `rows` are (client id, owner id, owned since, last purchase). Each owner is recorded as having lost his client
    (cause `lost`, the reason names the last purchase), so it never goes back to him; the clients become free
    win-backs. Their open deals and planned activities stay where they are until a new owner takes the client.
    Set-based: a few statements whatever the number of clients.
    """
    if not rows:
        return 0
    now = timezone.now()
    ids = [pk for pk, _owner, _since, _last in rows]
    clients_leaving(ids, reason=Tombstone.Reason.REASSIGNED, now=now)
    for start in range(0, len(ids), RELEASE_CHUNK):
        Client.objects.filter(pk__in=ids[start : start + RELEASE_CHUNK]).update(
            owner=None, owned_since=None, updated_at=now, revision=F("revision") + 1
        )
    OwnershipChange.objects.bulk_create(
        (
            OwnershipChange(
                client_id=pk,
                from_owner_id=owner_id,
                to_owner=None,
                by=None,
                cause=OwnershipChange.Cause.LOST,
                reason=_("no purchase since %(date)s") % {"date": last.strftime("%d.%m.%Y")},
            )
            for pk, owner_id, _since, last in rows
        ),
        batch_size=2000,
    )
    client_type = ContentType.objects.get_for_model(Client)
    ChangeLog.objects.bulk_create(
        (
            ChangeLog(
                content_type=client_type,
                object_id=pk,
                action=ChangeLog.Action.UPDATE,
                changes={"owner_id": [owner_id, None], "owned_since": [since.isoformat() if since else None, None]},
                by=None,
            )
            for pk, owner_id, since, _last in rows
        ),
        batch_size=2000,
    )
    return len(rows)


# The nightly's PostgreSQL path: the clients to free are in a temporary table (id, owner_id, owned_since, last_sale),
# and what `lost_clients_release` writes besides the clients is written from it by one statement per table.
RELEASE_SQL = (
    "INSERT INTO {change} (client_id, from_owner_id, to_owner_id, by_id, cause, reason, at) "
    "SELECT r.id, r.owner_id, NULL, NULL, %(cause)s, "
    "%(prefix)s || to_char(r.last_sale, 'DD.MM.YYYY') || %(suffix)s, %(now)s FROM {rows} r ORDER BY r.id",
    "INSERT INTO {log} (content_type_id, object_id, action, changes, by_id, at) "
    "SELECT %(client_type)s, r.id, %(action)s, jsonb_build_object("
    "'owner_id', jsonb_build_array(r.owner_id, NULL), "
    "'owned_since', jsonb_build_array(to_char(r.owned_since, 'YYYY-MM-DD'), NULL)), NULL, %(now)s "
    "FROM {rows} r ORDER BY r.id",
)


def lost_clients_release_table(rows: str, *, now: datetime) -> int:
    """`lost_clients_release` for the clients in the temporary table `rows` (PostgreSQL), set-based: the tombstones
    (`clients_leaving`, one INSERT ... SELECT per resource), the ownership records and the change log. The caller
    then empties those clients' owner in its own write of them (the nightly's status job writes each client once,
    status and owner together). Returns how many."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {rows} ORDER BY id")
        ids = [pk for (pk,) in cursor.fetchall()]
        if not ids:
            return 0
        clients_leaving(ids, reason=Tombstone.Reason.REASSIGNED, now=now)
        prefix, _sep, suffix = (_("no purchase since %(date)s") % {"date": "\x00"}).partition("\x00")
        tables = {"change": OwnershipChange._meta.db_table, "log": ChangeLog._meta.db_table, "rows": rows}
        params: dict[str, Any] = {
            "now": now,
            "cause": OwnershipChange.Cause.LOST,
            "prefix": prefix,
            "suffix": suffix,
            "client_type": ContentType.objects.get_for_model(Client).pk,
            "action": ChangeLog.Action.UPDATE,
        }
        for statement in RELEASE_SQL:
            cursor.execute(statement.format(**tables), params)
    return len(ids)
