"""Mobile sync (docs/api.md, "Sync"): the registry of syncable resources, sync tokens, tombstones and the changes feed.

- A *sync token* is a signed moment: "everything changed at or after it". It is issued as the moment a sync began
  less `SYNC_OVERLAP_SECONDS`, so a row saved by a transaction that committed after the phone read past it is
  fetched again next time (a phone upserts by id, so a row seen twice costs nothing; a row missed would be lost).
- A token older than `SYNC_TOMBSTONE_DAYS` (tombstones are kept that long) answers 410 `full_resync_required`.
- Tombstones are written set-based where a rule moves many rows (`clients_leaving`, `team_left`) and by a
  `post_delete` receiver for every registered model (cascades included).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from crm.models import Activity, Client, ContactPerson, Deal, Product, ProspectEntry, Tombstone, User

TOKEN_SALT = "crm.sync.token"  # noqa: S105  # a signing salt, not a secret
CURSOR_SALT = "crm.sync.cursor"


@dataclass(frozen=True)
class Synced:
    """A resource a phone keeps: its API name, its model, and how to read whose a row is.

    `client_field`: the row belongs to a client (it leaves with the client when the client is reassigned).
    `owner_field`: the user who owns the row itself (a deal's or an activity's owner, a plan's manager).
    """

    resource: str
    model: type[models.Model]
    client_field: str | None = None
    owner_field: str | None = None


SYNCED: dict[type[models.Model], Synced] = {}


def synced_register(item: Synced) -> None:
    """Make `item.model` a syncable resource: its deletions become tombstones (apps register in `ready()`)."""
    SYNCED[item.model] = item
    post_delete.connect(_deleted, sender=item.model, dispatch_uid=f"crm.sync.deleted.{item.model._meta.label}")


def crm_synced_register() -> None:
    synced_register(Synced("clients", Client, owner_field="owner"))
    synced_register(Synced("contacts", ContactPerson, client_field="client"))
    synced_register(Synced("deals", Deal, client_field="client", owner_field="owner"))
    synced_register(Synced("activities", Activity, client_field="client", owner_field="owner"))
    synced_register(Synced("products", Product))
    synced_register(Synced("prospect-entries", ProspectEntry))
    pre_save.connect(_team_before, sender=User, dispatch_uid="crm.sync.team_before")
    post_save.connect(_team_after, sender=User, dispatch_uid="crm.sync.team_after")


# --- tokens -------------------------------------------------------------------------------------------------------


class SyncTokenInvalid(ValueError):
    """The token or cursor was not issued by this server (or was altered)."""


class SyncTokenExpired(ValueError):
    """The token is older than the tombstones kept: the phone must sync everything again."""


def overlap() -> timedelta:
    return timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)


def retention() -> timedelta:
    return timedelta(days=settings.SYNC_TOMBSTONE_DAYS)


def token_issue(started: datetime) -> str:
    """The token a sync that began at `started` hands back: changes from `started` less the overlap."""
    return signing.dumps({"t": (started - overlap()).isoformat()}, salt=TOKEN_SALT)


def token_read(token: str, *, now: datetime) -> datetime:
    """The moment `token` stands for; SyncTokenInvalid when it is not ours, SyncTokenExpired when too old."""
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
        moment = parse_datetime(value["t"]) if isinstance(value, dict) and isinstance(value.get("t"), str) else None
    except (signing.BadSignature, ValueError, TypeError):
        moment = None
    if moment is None:
        raise SyncTokenInvalid(_("Send a sync token exactly as the server issued it."))
    if moment < now - retention():
        raise SyncTokenExpired(
            _("This sync token is older than %(days)d days: sync everything again (a full sync without since).")
            % {"days": settings.SYNC_TOMBSTONE_DAYS}
        )
    return moment


def cursor_dump(data: dict[str, Any]) -> str:
    return signing.dumps(data, salt=CURSOR_SALT)


def cursor_load(cursor: str) -> dict[str, Any]:
    try:
        value = signing.loads(cursor, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        value = None
    if not isinstance(value, dict):
        raise SyncTokenInvalid(_("Send the cursor exactly as the previous page gave it."))
    return value


def after_position(queryset: models.QuerySet[Any], moment: datetime, pk: int, field: str = "updated_at") -> Any:
    """Rows after (moment, pk) in (field, id) order: a range on the index, then the ties on the same moment."""
    return queryset.filter(**{f"{field}__gte": moment}).exclude(**{field: moment, "pk__lte": pk})


# --- writing tombstones -------------------------------------------------------------------------------------------


def _owner_teams(user_ids: Iterable[int | None]) -> dict[int, int | None]:
    ids = {pk for pk in user_ids if pk}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "team_id")) if ids else {}


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    item = SYNCED.get(sender)
    if item is None or instance.pk is None:
        return
    owner_id = getattr(instance, f"{item.owner_field}_id", None) if item.owner_field else None
    client_owner_id = None
    if isinstance(instance, Client):
        client_owner_id = instance.owner_id
    elif item.client_field and (client_id := getattr(instance, f"{item.client_field}_id", None)):
        client_owner_id = Client.objects.filter(pk=client_id).values_list("owner_id", flat=True).first()
    teams = _owner_teams([owner_id, client_owner_id])
    Tombstone.objects.create(
        resource=item.resource,
        object_id=instance.pk,
        reason=Tombstone.Reason.DELETED,
        at=timezone.now(),
        owner_id=owner_id,
        team_id=teams.get(owner_id) if owner_id else None,
        client_owner_id=client_owner_id,
        client_team_id=teams.get(client_owner_id) if client_owner_id else None,
    )


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(str(model._meta.get_field(field).column))  # type: ignore[union-attr]


INSERT_COLUMNS = "resource, object_id, reason, at, owner_id, team_id, client_owner_id, client_team_id"
CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _id_batches(ids: Sequence[int]) -> Iterable[tuple[str, list[Any]]]:
    """`(condition, params)` pairs matching `ids`: one `= ANY(array)` on PostgreSQL, chunks of IN lists elsewhere
    (SQLite's limit of bound variables)."""
    if connection.vendor == "postgresql":
        yield "= ANY(%s)", [list(ids)]
        return
    for chunk in _chunks(ids):
        yield f"IN ({', '.join(['%s'] * len(chunk))})", list(chunk)


def clients_leaving(client_ids: Sequence[int], *, reason: str, now: datetime) -> int:
    """Before `client_ids` change owner: a tombstone for each client and every row that goes with it, as whose it
    was; the users who still see a row after the change never get its tombstone (the feed checks). Set-based:
    one INSERT ... SELECT per resource (per chunk of ids on SQLite)."""
    written = 0
    tomb = _table(Tombstone)
    user = _table(User)
    client = _table(Client)
    if not client_ids:
        return 0
    for condition, ids in _id_batches(list(client_ids)):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {tomb} ({INSERT_COLUMNS}) "
                f"SELECT %s, c.id, %s, %s, c.owner_id, u.team_id, c.owner_id, u.team_id "
                f"FROM {client} c LEFT JOIN {user} u ON u.id = c.owner_id WHERE c.id {condition}",
                ["clients", reason, now, *ids],
            )
            written += cursor.rowcount
            for item in SYNCED.values():
                if not item.client_field:
                    continue
                table, client_col = _table(item.model), _column(item.model, item.client_field)
                if item.owner_field:
                    owner_col = f"r.{_column(item.model, item.owner_field)}"
                    join = f"LEFT JOIN {user} ou ON ou.id = {owner_col}"
                    owner_team = "ou.team_id"
                else:
                    owner_col, join, owner_team = "NULL", "", "NULL"
                cursor.execute(
                    f"INSERT INTO {tomb} ({INSERT_COLUMNS}) "
                    f"SELECT %s, r.id, %s, %s, {owner_col}, {owner_team}, c.owner_id, cu.team_id "
                    f"FROM {table} r JOIN {client} c ON c.id = r.{client_col} "
                    f"LEFT JOIN {user} cu ON cu.id = c.owner_id {join} "
                    f"WHERE r.{client_col} {condition}",
                    [item.resource, reason, now, *ids],
                )
                written += cursor.rowcount
    return written


def clients_arrived(client_ids: Sequence[int], *, now: datetime) -> None:
    """After `client_ids` changed owner: every row that goes with them counts as changed, so the phones of the
    users who see them now fetch them (`updated_at` moves; the revision does not: nothing was edited)."""
    for item in SYNCED.values():
        if item.client_field and _has_updated_at(item.model):
            for chunk in _chunks(list(client_ids)):
                item.model._default_manager.filter(**{f"{item.client_field}_id__in": chunk}).update(updated_at=now)


def _has_updated_at(model: type[models.Model]) -> bool:
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


def _team_before(sender: type[User], instance: User, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.pk and not kwargs.get("raw") and (fields is None or "team" in fields or "team_id" in fields):
        instance._sync_team_before = User.objects.filter(pk=instance.pk).values_list("team_id", flat=True).first()  # type: ignore[attr-defined]


def _team_after(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_sync_team_before", None)
    instance._sync_team_before = instance.team_id  # type: ignore[attr-defined]
    if created or kwargs.get("raw") or before is None or before == instance.team_id:
        return
    team_left(instance.pk, old_team_id=before, now=timezone.now())


def team_left(user_id: int, *, old_team_id: int, now: datetime) -> int:
    """A seller moved out of `old_team_id`: his clients and their rows, and his own rows, leave the old team
    lead's phone (tombstones as of the old team) and reach the new one's (`updated_at` moves)."""
    tomb, client = _table(Tombstone), _table(Client)
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tomb} ({INSERT_COLUMNS}) SELECT %s, c.id, %s, %s, c.owner_id, %s, c.owner_id, %s "
            f"FROM {client} c WHERE c.owner_id = %s",
            ["clients", Tombstone.Reason.TEAM_CHANGED, now, old_team_id, old_team_id, user_id],
        )
        written += cursor.rowcount
        for item in SYNCED.values():
            if not (item.client_field or item.owner_field):
                continue
            table = _table(item.model)
            where, params = [], []
            if item.client_field:
                where.append(
                    f"r.{_column(item.model, item.client_field)} IN (SELECT id FROM {client} WHERE owner_id = %s)"
                )
                params.append(user_id)
            if item.owner_field:
                where.append(f"r.{_column(item.model, item.owner_field)} = %s")
                params.append(user_id)
            cursor.execute(
                f"INSERT INTO {tomb} ({INSERT_COLUMNS}) SELECT %s, r.id, %s, %s, %s, %s, %s, %s "
                f"FROM {table} r WHERE {' OR '.join(where)}",
                [
                    item.resource,
                    Tombstone.Reason.TEAM_CHANGED,
                    now,
                    user_id,
                    old_team_id,
                    user_id,
                    old_team_id,
                    *params,
                ],
            )
            written += cursor.rowcount
    Client.objects.filter(owner_id=user_id).update(updated_at=now)
    clients_arrived(list(Client.objects.filter(owner_id=user_id).values_list("pk", flat=True)), now=now)
    for item in SYNCED.values():
        if item.owner_field and item.model is not Client and _has_updated_at(item.model):
            item.model._default_manager.filter(**{f"{item.owner_field}_id": user_id}).update(updated_at=now)
    return written


def tombstones_purge(*, now: datetime) -> int:
    """Drop the tombstones older than the retention: a phone offline longer syncs everything again."""
    deleted, _by_model = Tombstone.objects.filter(at__lt=now - retention()).delete()
    return deleted


# --- reading the feed ---------------------------------------------------------------------------------------------


def _scope(user: User, item: Synced) -> Q | None:
    """Which tombstones of `item` concern `user`: None for none, Q() for all of them (he sees every row)."""
    visible = item.model._default_manager.visible_to(user)  # type: ignore[attr-defined]
    if visible.query.is_empty():
        return None
    if not visible.query.where:
        return Q(resource=item.resource)
    mine = Q(owner_id=user.pk) | Q(client_owner_id=user.pk)
    if user.is_team_lead and user.team_id:
        mine |= Q(team_id=user.team_id) | Q(client_team_id=user.team_id)
    return Q(resource=item.resource) & mine


def changes_page(
    user: User, *, since: datetime, after: tuple[datetime, int] | None, size: int
) -> tuple[list[Tombstone], tuple[datetime, int] | None]:
    """One page of the tombstones for `user` from `since`, in (at, id) order, without the rows he sees now.

    Returns the page and the position to go on from (None at the end). Queries: one for the page, one per resource
    on the page to drop the rows visible again.
    """
    scopes = [q for item in SYNCED.values() if (q := _scope(user, item)) is not None]
    if not scopes:
        return [], None
    rows = Tombstone.objects.filter(at__gte=since)
    if after is not None:
        rows = after_position(rows, after[0], after[1], field="at")
    scope = scopes[0]
    for q in scopes[1:]:
        scope |= q
    page = list(rows.filter(scope).order_by("at", "id")[: size + 1])
    more = len(page) > size
    page = page[:size]
    position = (page[-1].at, page[-1].pk) if more and page else None
    by_resource: dict[str, set[int]] = {}
    for row in page:
        by_resource.setdefault(row.resource, set()).add(row.object_id)
    items = {item.resource: item for item in SYNCED.values()}
    visible: set[tuple[str, int]] = set()
    for resource, ids in by_resource.items():
        manager = items[resource].model._default_manager
        visible |= {(resource, pk) for pk in manager.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)}  # type: ignore[attr-defined]
    seen: set[tuple[str, int]] = set()
    out: list[Tombstone] = []
    for row in page:
        key = (row.resource, row.object_id)
        if key in visible or key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out, position
