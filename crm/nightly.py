"""The CRM's nightly jobs (DOMAIN.md section 8): set-based, idempotent, dated by their `as_of` argument.

Client statuses, deal hygiene, the month's long lists and the 3-month rule's flags; salesdept/nightly.py runs them
in order.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, F, Max, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from core.calendar import end_of_day
from crm.models import (
    Activity,
    ChangeLog,
    Client,
    Deal,
    DepartmentSettings,
    OwnershipChange,
    Reassignment,
    SaleLine,
)
from crm.rules.clients import quiet_since
from crm.selectors.hunting import long_list_calls_refresh
from crm.selectors.reassignments import OPEN_FLAGS, concluded_since, rule_candidates
from crm.services.hunting import long_lists_draft_for
from crm.services.ownership import lost_clients_release, lost_clients_release_table

logger = logging.getLogger(__name__)

UPDATE_CHUNK = 5000
# A status refresh that changed at least this share of the clients (and at least ANALYZE_AFTER_ROWS rows) refreshes
# the planner's statistics of what it changed, as autovacuum's default analyze threshold (10 %) would, but at once.
# A 1st of the month in a running department changes about 6 % of them (100 000 clients: 2 956 statuses, 2 909
# freed); the first night after an install, about a third.
ANALYZE_AFTER_ROWS = 1000
ANALYZE_AFTER_SHARE = 0.10


@transaction.atomic
def client_statuses_refresh(as_of: date, *, months: int | None = None, sql: bool | None = None) -> dict[str, int]:
    """Derive every client's status from its sales up to `as_of`; count the clients whose status changed.

    active: a sale (paid or not) in the `months` full calendar months before the month of `as_of`, or in that
    month up to `as_of`; lost: sales before that window only; prospect: no sale up to `as_of`.

    On PostgreSQL (`sql`, by default) every part is one statement over temporary tables: the changes are found with
    one index probe per client (its last sale), then the clients, the change log, the ownership records and the
    tombstones are written by UPDATE ... FROM and INSERT ... SELECT. Elsewhere (SQLite) the same rows are written
    through the ORM; tests/crm/test_nightly.py runs both paths on one data set and compares what they wrote.
    """
    # A client with no purchase for the new-client months is lost (DOMAIN.md sections 3 and 8): the head's setting.
    window_start = quiet_since(as_of, months or DepartmentSettings.current().new_client_after_months)
    use_sql = connection.vendor == "postgresql" if sql is None else sql
    if use_sql:
        counts = _statuses_and_release_sql(as_of, window_start)
    else:
        counts = _statuses_orm(as_of, window_start)
        counts["freed"] = lost_clients_free(as_of)
    changed = sum(counts.values())
    if changed >= ANALYZE_AFTER_ROWS and changed >= ANALYZE_AFTER_SHARE * Client.objects.count():
        # The jobs after this one plan their queries on these tables: with the statistics of before a big change
        # (thousands of new `lost` ownership records) PostgreSQL picks a scan that makes the long lists' win-backs
        # take a minute instead of seconds at 100 000 clients. Autovacuum would analyze them, but too late.
        tables_analyze(Client, OwnershipChange)
    logger.info("client statuses as of %s: %s", as_of, counts)
    return counts


def _statuses_orm(as_of: date, window_start: date) -> dict[str, int]:
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
            Client.objects.filter(pk__in=ids[start : start + UPDATE_CHUNK]).update(
                status=status, updated_at=now, revision=F("revision") + 1
            )
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
    return counts


# Each client's last sale up to the day (one backward probe of the (client, date) index per client), the status
# that follows, and whether the client leaves its owner (lost while he had it: owned since its last purchase or
# before, or with no start recorded). Only the clients with something to write stay in the table.
NIGHTLY_CLIENT_SQL = (
    "DROP TABLE IF EXISTS nightly_client",
    "CREATE TEMPORARY TABLE nightly_client ON COMMIT DROP AS SELECT d.*, d.new = %(lost)s "
    "AND d.owner_id IS NOT NULL AND (d.owned_since IS NULL OR d.owned_since <= d.last_sale) AS freed FROM ("
    "SELECT c.id, c.status AS old, CASE WHEN l.last_sale >= %(start)s THEN %(active)s "
    "WHEN l.last_sale IS NOT NULL THEN %(lost)s ELSE %(prospect)s END AS new, c.owner_id, c.owned_since, l.last_sale "
    "FROM {client} c CROSS JOIN LATERAL ("
    "SELECT max(s.date) AS last_sale FROM {sales} s WHERE s.client_id = c.id AND s.date <= %(as_of)s) l) d",
    "DELETE FROM nightly_client WHERE old = new AND NOT freed",
    "INSERT INTO {log} (content_type_id, object_id, action, changes, by_id, at) "
    "SELECT %(client_type)s, n.id, %(action)s, jsonb_build_object('status', jsonb_build_array(n.old, n.new)), "
    "NULL, %(now)s FROM nightly_client n WHERE n.old <> n.new ORDER BY n.id",
    "DROP TABLE IF EXISTS nightly_freed",
    "CREATE TEMPORARY TABLE nightly_freed ON COMMIT DROP AS "
    "SELECT id, owner_id, owned_since, last_sale FROM nightly_client WHERE freed",
)
# After the tombstones (they record whose the rows were): the status and the release in one write of each client
# (crm_client carries 19 indexes, four of them trigram GIN: every row written costs them all). updated_at moves,
# so mobile clients syncing with `updated_since` see the change; the revision counts each of the two changes.
NIGHTLY_CLIENT_UPDATE_SQL = (
    "UPDATE {client} c SET status = n.new, "
    "owner_id = CASE WHEN n.freed THEN NULL ELSE c.owner_id END, "
    "owned_since = CASE WHEN n.freed THEN NULL ELSE c.owned_since END, "
    "updated_at = %(now)s, revision = c.revision + (n.old <> n.new)::int + n.freed::int "
    "FROM nightly_client n WHERE c.id = n.id"
)


def _statuses_and_release_sql(as_of: date, window_start: date) -> dict[str, int]:
    """The status job on PostgreSQL: the same rows as `_statuses_orm` then `lost_clients_free`, set-based."""
    now = timezone.now()
    tables = {"client": Client._meta.db_table, "sales": SaleLine._meta.db_table, "log": ChangeLog._meta.db_table}
    params: dict[str, Any] = {
        "as_of": as_of,
        "start": window_start,
        "now": now,
        "client_type": ContentType.objects.get_for_model(Client).pk,
        "action": ChangeLog.Action.UPDATE,
        **{status: status for status in Client.Status.values},
    }
    counts = {f"became_{status}": 0 for status in Client.Status.values}
    with connection.cursor() as cursor:
        for statement in NIGHTLY_CLIENT_SQL:
            cursor.execute(statement.format(**tables), params)
        cursor.execute("SELECT new, count(*) FROM nightly_client WHERE old <> new GROUP BY new")
        for status, count in cursor.fetchall():
            counts[f"became_{status}"] = count
        counts["freed"] = lost_clients_release_table("nightly_freed", now=now)
        cursor.execute(NIGHTLY_CLIENT_UPDATE_SQL.format(**tables), params)
        cursor.execute("DROP TABLE nightly_client, nightly_freed")
    return counts


def tables_analyze(*models: type[Model]) -> None:
    """Refresh the planner's statistics of the models' tables (PostgreSQL; ANALYZE may run inside a transaction)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def lost_clients_free(as_of: date) -> int:
    """A lost client leaves its owner (DOMAIN.md section 3): the owner is recorded as having lost it, and the client
    becomes a free win-back (the head's win-back tab, the long lists of the managers who did not lose it).

    Only a client that stopped buying while its owner had it: owned since its last purchase or before (or with no
    start recorded). A client the head gave to a win-back manager after the loss stays with him; the 3-month rule
    watches that ownership like any other. Open deals and planned activities stay with the old owner until a new
    owner takes the client (then they move to him). Returns how many clients were freed.
    """
    last_sale = (
        SaleLine.objects.filter(client=OuterRef("pk"), date__lte=as_of)
        .order_by()
        .values("client")
        .annotate(last=Max("date"))
        .values("last")
    )
    rows = list(
        Client.objects.filter(status=Client.Status.LOST, owner__isnull=False)
        .annotate(last_sale=Subquery(last_sale))
        .filter(Q(owned_since__isnull=True) | Q(owned_since__lte=F("last_sale")))
        .order_by("pk")
        .values_list("pk", "owner_id", "owned_since", "last_sale")
    )
    return lost_clients_release(rows)


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


@transaction.atomic
def long_lists_draft(as_of: date, *, monthly: bool | None = None) -> dict[str, Any]:
    """The monthly part (on the 1st, or on the first run after a missed 1st: `monthly`, which the registry decides):
    draft the month's long list of every active seller who has none.

    Every day: store the first outgoing call of the month on the month's entries not yet marked called.
    """
    counts: dict[str, Any] = {"drafted": 0}
    if as_of.day == 1 if monthly is None else monthly:
        drafted = long_lists_draft_for(month=as_of).as_dict()
        counts = {"drafted": drafted.pop("lists"), **drafted}
        if counts["below_min"]:
            logger.warning("long lists for %s: %d below the minimum", as_of, counts["below_min"])
    counts["calls_marked"] = long_list_calls_refresh(month=as_of.replace(day=1), up_to=as_of)
    logger.info("long lists as of %s: %s", as_of, counts)
    return counts


@transaction.atomic
def reassignment_flags_refresh(as_of: date) -> dict[str, int]:
    """Resolve stale flags, bring expired extensions back, flag the clients the rule catches on `as_of`.

    Every step is a single set-based statement, and each one excludes what it already did, so a second run
    for the same day changes nothing. An extension covers its `extended_until` day; the flag is pending
    again from the day after (the same flag row: one per ownership, so a client is extended only once).
    """
    months = DepartmentSettings.current().reassign_after_months
    now = timezone.now()
    open_flags = Reassignment.objects.filter(status__in=OPEN_FLAGS)

    # The client changed hands (or its clock restarted) or something was concluded since: nothing to decide.
    changed_hands = ~Q(client__owner_id=F("owner_id")) | ~Q(client__owned_since=F("owned_since"))
    concluded = concluded_since(as_of, client_ref="client_id", since_ref="owned_since")
    stale_ids = open_flags.filter(changed_hands | Q(client__owner__isnull=True) | concluded).values("pk")
    resolved = Reassignment.objects.filter(pk__in=stale_ids).update(
        status=Reassignment.Status.RESOLVED, decided_at=now, decided_by=None, updated_at=now
    )

    returned = Reassignment.objects.filter(status=Reassignment.Status.EXTENDED, extended_until__lt=as_of).update(
        status=Reassignment.Status.PENDING, flagged_on=as_of, updated_at=now
    )

    flagged = flags_insert(rule_candidates(as_of, months), as_of=as_of, now=now)
    counts = {"flagged": flagged, "back_from_extension": returned, "resolved": resolved}
    logger.info("3-month rule as of %s: %s", as_of, counts)
    return counts


FLAGS_INSERT = """
INSERT INTO {flags} (client_id, owner_id, owned_since, flagged_on, status, reason, updated_at)
SELECT candidate.id, candidate.owner_id, candidate.owned_since, %s, %s, '', %s FROM ({candidates}) candidate
ON CONFLICT DO NOTHING
"""


def flags_insert(candidates: QuerySet[Client], *, as_of: date, now: datetime) -> int:
    """A pending flag for each candidate (client, owner, owned since), written by one INSERT ... SELECT (no model
    objects); a flag already there for the ownership is left as it is. Returns how many were added."""
    if connection.vendor != "postgresql":
        before = Reassignment.objects.count()
        Reassignment.objects.bulk_create(
            (
                Reassignment(client_id=pk, owner_id=owner_id, owned_since=owned_since, flagged_on=as_of)  # type: ignore[misc]
                for pk, owner_id, owned_since in candidates.values_list("pk", "owner_id", "owned_since")
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
        return Reassignment.objects.count() - before
    inner, params = candidates.values("id", "owner_id", "owned_since").query.sql_with_params()
    sql = FLAGS_INSERT.format(flags=connection.ops.quote_name(Reassignment._meta.db_table), candidates=inner)
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, Reassignment.Status.PENDING, now, *params])
        return cursor.rowcount


def sync_tombstones_purge(as_of: date) -> dict[str, int]:
    """Drop the mobile-sync tombstones kept longer than SYNC_TOMBSTONE_DAYS before the start of `as_of`."""
    from crm.sync import tombstones_purge

    start = timezone.make_aware(datetime.combine(as_of, time.min))
    return {"purged": tombstones_purge(now=start)}
