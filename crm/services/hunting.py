"""Writes for hunting new clients (DOMAIN.md section 3): the monthly long lists, the short list, cold-call norms
and the head's department settings.

Decisions (documented here because the spec leaves them open):
- A long-list entry *converted* when its client bought (a sales line dated from the first day of that list's month
  on) or won a deal (`won_at` from that day on). Entries that did not convert, whose client the manager still owns,
  carry over to the next month with what was learnt (interest, short list, needs, objections, potential); the call
  of the new month starts afresh.
- *Former big buyers*: own clients with no purchase in the `new_client_after_months` full calendar months before
  the list's month, ranked by their sales (paid and unpaid) in the 24 full months before it; a client whose last
  purchase is older than 24 months has no turnover to rank by and is left out.
- *Never bought*: own clients without a single sales line up to the list's month, by name.
- A client with a deal won in that gap is buying again and is neither.
- The list holds the carried entries first (in last month's order), then former buyers, then never-bought prospects,
  up to `long_list_max`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from core.calendar import month_shift, month_start, start_of_day
from core.concurrency import lock_for_update
from core.money import to_money
from core.services import model_update
from crm.models import (
    ChangeLog,
    Client,
    ColdCallNorm,
    Deal,
    DepartmentSettings,
    LongList,
    LongListEntry,
    SaleLine,
    User,
)
from crm.models.settings import SETTINGS_FIELDS
from crm.rules.clients import is_worth_the_time, quiet_since
from crm.selectors.winbacks import attach_lost_by, win_backs
from crm.services.history import changelog_record, snapshot

MONEY_FIELD: DecimalField = DecimalField(max_digits=16, decimal_places=2)
ENTRY_FIELDS = (
    "interested",
    "short_listed",
    "needs",
    "reasons_not_bought",
    "objections",
    "potential_monthly",
    "potential_yearly",
)


# --- drafting the long lists -------------------------------------------------------------------------------------


@dataclass
class DraftCounts:
    lists: int = 0
    entries: int = 0
    by_reason: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LongListEntry.Reason.values, 0))
    below_min: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"lists": self.lists, "entries": self.entries, **self.by_reason, "below_min": self.below_min}


def _carried(*, owner_ids: list[int], month: date) -> list[LongListEntry]:
    """Last month's entries that did not convert, are not marked not worth the time, and whose client the manager
    still owns, in last month's order."""
    previous = month_shift(month, -1)
    bought = SaleLine.objects.filter(client=OuterRef("client_id"), date__gte=previous, date__lt=month)
    won = Deal.objects.filter(client=OuterRef("client_id"), won_at__date__gte=previous)
    return list(
        LongListEntry.objects.filter(
            long_list__month=previous, long_list__owner_id__in=owner_ids, client__owner_id=F("long_list__owner_id")
        )
        .exclude(not_worth=True)
        .exclude(Exists(bought))
        .exclude(Exists(won))
        .annotate(owner_id=F("long_list__owner_id"))
        .order_by("long_list__owner_id", "rank", "id")
    )


CANDIDATES_SQL = """
WITH history AS (
    -- One pass over the sales lines before the month: per client, whether it bought at all, whether it bought in
    -- the gap, and its turnover in the history window before the gap (reused in the filter, the sort and the
    -- output, instead of a correlated SUM per client repeated in each).
    SELECT client_id,
           bool_or(date >= %(gap_start)s) AS recent,
           SUM(amount) FILTER (WHERE date >= %(history_start)s AND date < %(gap_start)s) AS turnover
    FROM {sales}
    WHERE date < %(month)s
    GROUP BY client_id
),
picked AS (
    SELECT c.id AS pk, c.owner_id, c.name,
           CASE WHEN h.client_id IS NULL THEN 1 ELSE 0 END AS kind,
           COALESCE(h.turnover, 0) AS turnover
    FROM {clients} c
    LEFT JOIN history h ON h.client_id = c.id
    WHERE c.owner_id = ANY(%(owner_ids)s)
      AND NOT COALESCE(h.recent, false)
      AND (h.client_id IS NULL OR COALESCE(h.turnover, 0) > 0)
      AND NOT EXISTS (
          SELECT 1 FROM {deals} d WHERE d.client_id = c.id AND d.won_at >= %(gap_start_at)s
      )
      AND NOT EXISTS (
          SELECT 1 FROM {entries} e JOIN {lists} l ON l.id = e.long_list_id
          WHERE e.client_id = c.id AND l.month = %(previous)s AND e.not_worth
      )
),
ranked AS (
    SELECT pk, owner_id, kind, turnover,
           row_number() OVER (PARTITION BY owner_id ORDER BY kind ASC, turnover DESC, name ASC, pk ASC) AS position
    FROM picked
)
SELECT pk, owner_id, kind, turnover FROM ranked WHERE position <= %(cap)s ORDER BY owner_id, position
"""


def _candidates(*, owner_ids: list[int], month: date, settings: DepartmentSettings) -> list[dict[str, Any]]:
    """Per manager, the best `long_list_max` former big buyers and never-bought clients: one query, set-based (one
    GROUP BY of the sales before the month gives every client's past turnover and whether it bought in the gap)."""
    if connection.vendor != "postgresql":
        return _candidates_orm(owner_ids=owner_ids, month=month, settings=settings)
    gap_start = quiet_since(month, settings.new_client_after_months)
    history_start = month_shift(month, -settings.former_buyer_months)
    quote = connection.ops.quote_name
    sql = CANDIDATES_SQL.format(
        sales=quote(SaleLine._meta.db_table),
        clients=quote(Client._meta.db_table),
        deals=quote(Deal._meta.db_table),
        entries=quote(LongListEntry._meta.db_table),
        lists=quote(LongList._meta.db_table),
    )
    params: dict[str, Any] = {
        "gap_start": gap_start,
        "history_start": history_start,
        "month": month,
        "owner_ids": owner_ids,
        # `won_at__date__gte=gap_start` in the current time zone: from the start of that day there.
        "gap_start_at": start_of_day(gap_start),
        "previous": month_shift(month, -1),
        "cap": settings.long_list_max,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"pk": pk, "owner_id": owner_id, "kind": kind, "turnover": turnover}
            for pk, owner_id, kind, turnover in cursor.fetchall()
        ]


def _candidates_orm(*, owner_ids: list[int], month: date, settings: DepartmentSettings) -> list[dict[str, Any]]:
    """`_candidates` in the ORM, for the databases other than PostgreSQL (the development SQLite)."""
    gap_start = quiet_since(month, settings.new_client_after_months)
    history_start = month_shift(month, -settings.former_buyer_months)
    sales = SaleLine.objects.filter(client=OuterRef("pk"), date__lt=month)
    turnover = (
        sales.filter(date__gte=history_start, date__lt=gap_start)
        .order_by()
        .values("client")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    kind = Case(
        When(has_sales=False, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        Client.objects.filter(owner_id__in=owner_ids)
        .annotate(
            has_sales=Exists(sales),
            recent=Exists(sales.filter(date__gte=gap_start)),
            won=Exists(Deal.objects.filter(client=OuterRef("pk"), won_at__date__gte=gap_start)),
            turnover=Coalesce(
                Subquery(turnover, output_field=MONEY_FIELD), Value(Decimal("0")), output_field=MONEY_FIELD
            ),
        )
        .filter(recent=False, won=False)
        .filter(Q(has_sales=False) | Q(turnover__gt=0))
        # Marked not worth the time last month (below the potential threshold): off this month's list.
        .exclude(
            Exists(
                LongListEntry.objects.filter(
                    client=OuterRef("pk"), long_list__month=month_shift(month, -1), not_worth=True
                )
            )
        )
        .annotate(kind=kind)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("owner_id")],
                order_by=[F("kind").asc(), F("turnover").desc(), F("name").asc(), F("id").asc()],
            )
        )
        .filter(position__lte=settings.long_list_max)
        .order_by("owner_id", "position")
        .values("pk", "owner_id", "kind", "turnover")
    )
    return list(rows)


def _win_backs_dealt(*, owner_ids: list[int], month: date, room: dict[int, int]) -> list[tuple[int, int, Decimal]]:
    """Free win-backs dealt to the managers in turn, biggest former buyers first: each to one manager a month, never
    to one who lost it, as many as his list has room for. Two queries, at most (managers x room) clients read."""
    wanted = sum(max(r, 0) for r in room.values())
    if not wanted:
        return []
    offered = LongListEntry.objects.filter(long_list__month=month, reason=LongListEntry.Reason.WIN_BACK).values(
        "client_id"
    )
    not_worth = LongListEntry.objects.filter(long_list__month=month_shift(month, -1), not_worth=True).values(
        "client_id"
    )
    rows = list(win_backs().exclude(pk__in=offered).exclude(pk__in=not_worth)[: wanted + len(owner_ids) * 10])
    attach_lost_by(rows)
    left = {pk: r for pk, r in room.items() if r > 0}
    order = [pk for pk in owner_ids if pk in left]
    dealt: list[tuple[int, int, Decimal]] = []
    turn = 0
    for client in rows:
        if not order:
            break
        for step in range(len(order)):
            index = (turn + step) % len(order)
            owner_id = order[index]
            if owner_id not in client.lost_by_all:  # type: ignore[attr-defined]
                dealt.append((owner_id, client.pk, client.turnover_before_loss))  # type: ignore[attr-defined]
                left[owner_id] -= 1
                if left[owner_id]:
                    turn = (index + 1) % len(order)
                else:
                    order.pop(index)
                    turn = index % len(order) if order else 0
                break
    return dealt


def long_lists_draft_for(*, month: date, owners: list[User] | None = None) -> DraftCounts:
    """Draft the month's long list of every seller in `owners` (all active sellers) who has none yet.

    A constant number of queries whatever the number of managers and clients; a list that exists is never touched.
    """
    month = month_start(month)
    settings = DepartmentSettings.current()
    sellers = User.objects.sellers() if owners is None else User.objects.filter(pk__in=[u.pk for u in owners])
    drafted = LongList.objects.filter(month=month).values("owner_id")
    owner_ids = list(sellers.exclude(pk__in=drafted).order_by("pk").values_list("pk", flat=True))
    counts = DraftCounts()
    if not owner_ids:
        return counts
    per_owner: dict[int, list[LongListEntry]] = {pk: [] for pk in owner_ids}
    seen: dict[int, set[int]] = {pk: set() for pk in owner_ids}
    cap = settings.long_list_max

    def add(owner_id: int, entry: LongListEntry) -> None:
        entries = per_owner[owner_id]
        if len(entries) < cap and entry.client_id not in seen[owner_id]:
            seen[owner_id].add(entry.client_id)
            entry.rank = len(entries) + 1
            entries.append(entry)

    for old in _carried(owner_ids=owner_ids, month=month):
        add(
            old.owner_id,  # type: ignore[attr-defined]
            LongListEntry(
                client_id=old.client_id,
                reason=LongListEntry.Reason.CARRIED,
                past_turnover=old.past_turnover,
                interested=old.interested,
                short_listed=old.short_listed,
                potential_monthly=old.potential_monthly,
                potential_yearly=old.potential_yearly,
                not_worth=old.not_worth,
                needs=old.needs,
                reasons_not_bought=old.reasons_not_bought,
                objections=old.objections,
            ),
        )
    candidates = _candidates(owner_ids=owner_ids, month=month, settings=settings)
    for row in candidates:
        if row["kind"] == 0:
            entry = LongListEntry(
                client_id=row["pk"], reason=LongListEntry.Reason.FORMER_BUYER, past_turnover=to_money(row["turnover"])
            )
            add(row["owner_id"], entry)
    room = {pk: cap - len(per_owner[pk]) for pk in owner_ids}
    for owner_id, client_id, turnover in _win_backs_dealt(owner_ids=owner_ids, month=month, room=room):
        add(
            owner_id,
            LongListEntry(client_id=client_id, reason=LongListEntry.Reason.WIN_BACK, past_turnover=to_money(turnover)),
        )
    for row in candidates:
        if row["kind"] == 1:
            add(row["owner_id"], LongListEntry(client_id=row["pk"], reason=LongListEntry.Reason.NEVER_BOUGHT))

    lists = LongList.objects.bulk_create([LongList(owner_id=pk, month=month) for pk in owner_ids])
    new_entries: list[LongListEntry] = []
    for long_list in lists:
        entries = per_owner[long_list.owner_id]
        for entry in entries:
            entry.long_list = long_list
            counts.by_reason[entry.reason] += 1
        new_entries.extend(entries)
        if len(entries) < settings.long_list_min:
            counts.below_min += 1
    LongListEntry.objects.bulk_create(new_entries, batch_size=2000)
    counts.lists = len(lists)
    counts.entries = len(new_entries)
    return counts


@transaction.atomic
def long_list_draft(*, manager: User, month: date, by: User) -> LongList:
    """Draft one manager's list for `month` now (a new manager, or a list the night did not make); the head's action."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head drafts long lists by hand."))
    if not manager.is_seller or not manager.is_active:
        raise ValidationError({"manager": [_("Long lists are drafted for active sales managers only.")]})
    long_lists_draft_for(month=month, owners=[manager])
    return LongList.objects.get(owner=manager, month=month_start(month))


# --- the manager's work on an entry --------------------------------------------------------------------------------


@transaction.atomic
def long_list_entry_update(*, entry: LongListEntry, by: User, data: dict[str, Any]) -> LongListEntry:
    """Record the call's outcome: interest, the short list with needs and objections, the monthly potential.

    `not_worth` follows the potential: below the department's threshold the company is not worth the time.
    """
    visible = LongList.objects.visible_to(by).filter(pk=entry.long_list_id).exists()
    if not visible or not by.works_in_sales:
        raise PermissionDenied(_("You may not change this long list."))
    lock_for_update(entry)
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    for name, value in data.items():
        nullable = ("interested", "potential_monthly", "potential_yearly")
        setattr(entry, name, "" if value is None and name not in nullable else value)
    errors: dict[str, list[str]] = {}
    if entry.short_listed and entry.interested is False:
        errors["short_listed"] = [_("Only a company that showed interest goes to the short list.")]
    if entry.short_listed and entry.interested is None:
        entry.interested = True
    for name in ("potential_monthly", "potential_yearly"):
        value = getattr(entry, name)
        if value is not None:
            if value < 0:
                errors[name] = [_("The potential cannot be negative.")]
            else:
                setattr(entry, name, to_money(value))
    if errors:
        raise ValidationError(errors)
    settings = DepartmentSettings.current()
    worth = is_worth_the_time(
        monthly=entry.potential_monthly,
        yearly=entry.potential_yearly,
        monthly_threshold=settings.potential_threshold,
        yearly_threshold=settings.potential_yearly_threshold,
    )
    entry.not_worth = worth is False
    entry.full_clean(exclude=["long_list", "client"])
    entry.save()
    return entry


# --- the head's numbers ------------------------------------------------------------------------------------------


def _check_settings(settings: DepartmentSettings) -> None:
    errors: dict[str, list[str]] = {}
    if settings.long_list_min > settings.long_list_max:
        errors["long_list_min"] = [_("The minimum cannot exceed the maximum.")]
    if settings.long_list_max < 1:
        errors["long_list_max"] = [_("A long list holds at least one company.")]
    if settings.potential_threshold is not None and settings.potential_threshold < 0:
        errors["potential_threshold"] = [_("The threshold cannot be negative.")]
    if settings.new_client_after_months < 1:
        errors["new_client_after_months"] = [_("Enter at least one month.")]
    ranges = [
        ("one_off_share_min", "one_off_share_max"),
        ("existing_share_min", "existing_share_max"),
        ("gap_band_min", "gap_band_max"),
        ("kpis_min", "kpis_max"),
    ]
    for low, high in ranges:
        if getattr(settings, low) > getattr(settings, high):
            errors[low] = [_("The minimum cannot exceed the maximum.")]
    if settings.regular_min_months > settings.plan_window_months:
        errors["regular_min_months"] = [_("A client cannot buy in more months than the window holds.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def department_settings_update(*, by: User, data: dict[str, Any], norms: dict[int, int | None]) -> DepartmentSettings:
    """Save the department's numbers and every seller's daily cold-call norm (None: the department's default)."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head or the administrator changes the department settings."))
    settings = DepartmentSettings.current()
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})

    def clean(obj: DepartmentSettings) -> None:
        _check_settings(obj)
        obj.full_clean()
        obj.potential_threshold = to_money(obj.potential_threshold)

    if settings._state.adding:
        settings.save()  # the first save of the head's numbers creates the row
    lock_for_update(settings)
    before = snapshot(settings, list(SETTINGS_FIELDS))
    model_update(instance=settings, data=data, clean=clean)
    # Every change keeps who, when, the old and the new value (shown on the settings page).
    changelog_record(obj=settings, by=by, action=ChangeLog.Action.UPDATE, before=before)
    cold_call_norms_set(by=by, norms=norms)
    return settings


@transaction.atomic
def cold_call_norms_set(*, by: User, norms: dict[int, int | None]) -> list[ColdCallNorm]:
    """Set the daily cold-call norm of each seller (by id); None removes it, so the department's default applies."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head sets cold-call norms."))
    if not norms:
        return []
    sellers = set(User.objects.sellers().filter(pk__in=list(norms)).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for pk, value in norms.items():
        if pk not in sellers:
            errors[f"norm_{pk}"] = [_("Norms are set for active sales managers only.")]
        elif value is not None and not 0 <= value <= 1000:
            errors[f"norm_{pk}"] = [_("Enter a number from 0 to 1000.")]
    if errors:
        raise ValidationError(errors)
    ColdCallNorm.objects.filter(manager_id__in=[pk for pk, v in norms.items() if v is None]).delete()
    rows = [ColdCallNorm(manager_id=pk, daily_calls=v, set_by=by) for pk, v in norms.items() if v is not None]
    return ColdCallNorm.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["manager"], update_fields=["daily_calls", "set_by", "updated_at"]
    )


@transaction.atomic
def cold_call_norm_set(*, by: User, manager: User, daily_calls: int) -> ColdCallNorm:
    """One seller's daily cold-call norm (the API's write)."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head sets cold-call norms."))
    if not manager.is_seller or not manager.is_active:
        raise ValidationError({"manager": [_("Norms are set for active sales managers only.")]})
    if not 0 <= daily_calls <= 1000:
        raise ValidationError({"daily_calls": [_("Enter a number from 0 to 1000.")]})
    norm, _created = ColdCallNorm.objects.update_or_create(
        manager=manager, defaults={"daily_calls": daily_calls, "set_by": by}
    )
    return norm
