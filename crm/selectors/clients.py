"""Reads behind "My day", the clients list and the client card: each list in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from core.calendar import month_shift, year_before
from crm.models import (
    Activity,
    ChangeLog,
    Client,
    ContactPerson,
    Deal,
    DepartmentSettings,
    MarketSegment,
    OwnershipChange,
    SaleLine,
    User,
)
from crm.rules.stages import ACTIVE_STAGES, OPEN_STAGES

ZERO = Decimal("0.00")
HIDDEN_CHANGES = {"id", "normalized_name"}
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
CONTACT_KINDS = (Activity.Kind.CALL, Activity.Kind.MEETING)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of the local day of `now` and of the next day."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def with_client_figures(clients: QuerySet[Client], *, user: User, today: date) -> QuerySet[Client]:
    """Annotate last_contact (last done call or meeting), last_purchase and turnover_12m, as the user sees them."""
    contacts = (
        Activity.objects.visible_to(user)
        .filter(client=OuterRef("pk"), kind__in=CONTACT_KINDS, done_at__isnull=False)
        .order_by()
        .values("client")
        .annotate(last=Max("done_at"))
        .values("last")
    )
    sales = SaleLine.objects.visible_to(user).filter(client=OuterRef("pk")).order_by().values("client")
    last_purchase = sales.annotate(last=Max("date")).values("last")
    turnover = sales.filter(date__gt=year_before(today), date__lte=today).annotate(total=Sum("amount")).values("total")
    return clients.annotate(
        last_contact=Subquery(contacts, output_field=DateTimeField()),
        last_purchase=Subquery(last_purchase, output_field=DateField()),
        turnover_12m=Coalesce(Subquery(turnover, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


def with_regularity(clients: QuerySet[Client], *, user: User, today: date, window: int) -> QuerySet[Client]:
    """Annotate months_bought: in how many of the `window` full months before this one the client bought."""
    month_start = today.replace(day=1)
    months = (
        SaleLine.objects.visible_to(user)
        .filter(client=OuterRef("pk"), date__gte=month_shift(month_start, -window), date__lt=month_start)
        .order_by()
        .values("client")
        .annotate(n=Count(TruncMonth("date"), distinct=True))
        .values("n")
    )
    return clients.annotate(
        months_bought=Coalesce(Subquery(months, output_field=IntegerField()), Value(0), output_field=IntegerField())
    )


def own_clients(user: User) -> QuerySet[Client]:
    """The clients the user owns and works himself (a team lead's managers call their own clients)."""
    return Client.objects.visible_to(user).filter(owner=user).exclude(status=Client.Status.LOST)


def calls_due(
    *, user: User, today: date, regular_only: bool = False, settings: DepartmentSettings | None = None
) -> QuerySet[Client]:
    """The user's own clients to call: regular clients first (called twice a week), each group the longest without
    a contact first (never contacted at the top). Lost clients are left to the win-back lists."""
    settings = settings or DepartmentSettings.current()
    regular = settings.regular_min_months
    visible = own_clients(user).select_related("owner")
    clients = with_regularity(
        with_client_figures(visible, user=user, today=today), user=user, today=today, window=settings.plan_window_months
    )
    if regular_only:
        clients = clients.filter(months_bought__gte=regular)  # type: ignore[misc]
    regular_first = Case(When(months_bought__gte=regular, then=Value(0)), default=Value(1))
    return clients.order_by(regular_first, F("last_contact").asc(nulls_first=True), "name", "id")


@dataclass
class OwnerFigures:
    """The home's counts per owner over the rows the user sees, in three GROUP BY queries (deals, planned tasks,
    clients) whatever the rows; the department's totals are their sums (every visible row has one owner group)."""

    deals: dict[int, dict[str, Any]]
    tasks: dict[int, dict[str, Any]]
    clients: dict[int | None, int]

    def total(self, kind: str, figure: str) -> Any:
        rows: dict[Any, dict[str, Any]] = getattr(self, kind)
        return sum((row[figure] or 0 for row in rows.values()), start=Decimal("0") if figure == "total" else 0)


def owner_figures(user: User, now: datetime) -> OwnerFigures:
    """One pass over the visible open and active deals (open count and sum, without a next task, with an overdue task
    as FILTERed counts: one scan instead of one per figure), one over the planned tasks due by the end of the day
    (overdue, today, due), one over the clients."""
    _, day_end = day_bounds(now)
    # For the head and a team lead (tens of thousands of deals) the deals with a planned task as an uncorrelated
    # `id IN (...)`: PostgreSQL hashes it once (one read of the planned tasks' index) where an EXISTS inside a FILTER
    # is probed for every deal. A manager's few thousand deals are cheaper probed than hashing every planned task.
    planned = Activity.objects.filter(deal__isnull=False, due_at__isnull=False, done_at__isnull=True)
    if user.sees_everything or user.is_team_lead:
        with_task = Q(pk__in=planned.values("deal_id"))
        with_overdue_task = Q(pk__in=planned.filter(due_at__lt=now).values("deal_id"))
    else:
        mine = planned.filter(deal=OuterRef("pk"))
        with_task, with_overdue_task = Q(Exists(mine)), Q(Exists(mine.filter(due_at__lt=now)))
    # The active stages hold the open ones (and the two after the payment): each FILTER tests the short list.
    assert OPEN_STAGES <= ACTIVE_STAGES
    is_open = ~Q(stage__in=sorted(ACTIVE_STAGES - OPEN_STAGES))
    deals = Deal.objects.visible_to(user).filter(stage__in=ACTIVE_STAGES)
    deal_rows = _per_owner(
        deals,
        open_n=Count("pk", filter=is_open),
        total=Sum("amount", filter=is_open),
        without_task=Count("pk", filter=~with_task),
        overdue=Count("pk", filter=with_overdue_task),
    )
    due = Activity.objects.visible_to(user).planned().filter(due_at__lt=day_end)
    task_rows = _per_owner(
        due,
        due=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        today=Count("pk", filter=Q(due_at__gte=now)),
    )
    clients = {
        row["owner_id"]: row["n"]
        for row in Client.objects.visible_to(user).order_by().values("owner_id").annotate(n=Count("pk"))
    }
    return OwnerFigures(deals=deal_rows, tasks=task_rows, clients=clients)


def _per_owner(rows: QuerySet[Any], **figures: Any) -> dict[int, dict[str, Any]]:
    """`figures` of `rows` per owner, in one GROUP BY (not a subquery per seller)."""
    return {row.pop("owner_id"): row for row in rows.order_by().values("owner_id").annotate(**figures)}


@dataclass
class MyDay:
    due_tasks: list[Activity]
    due_tasks_count: int
    overdue_tasks_count: int
    today_tasks_count: int
    calls: list[Client]
    calls_count: int
    regular_count: int
    without_task: list[Deal]
    without_task_count: int
    overdue_deals: list[Deal]
    overdue_deals_count: int
    clients_count: int
    open_deals_count: int
    open_deals_amount: Decimal


def my_day(
    *, user: User, now: datetime, rows: int = 30, regular_only: bool = False, figures: OwnerFigures | None = None
) -> MyDay:
    """A seller's day: tasks due today or overdue, clients to call, deals without a next task or with a late one.
    The counts are the sums of `owner_figures` (a team lead's home passes the ones its managers' table reads)."""
    today = timezone.localdate(now)
    _, day_end = day_bounds(now)
    figures = figures or owner_figures(user, now)
    due = Activity.objects.visible_to(user).planned().filter(due_at__lt=day_end)
    deals = Deal.objects.visible_to(user).select_related("client", "owner")
    without_task = deals.without_open_task(now)
    overdue_deals = deals.with_overdue_task(now)
    settings = DepartmentSettings.current()
    calls = calls_due(user=user, today=today, regular_only=regular_only, settings=settings)
    client_counts = (
        with_regularity(own_clients(user), user=user, today=today, window=settings.plan_window_months)
        .order_by()
        .aggregate(total=Count("pk"), regular=Count("pk", filter=Q(months_bought__gte=settings.regular_min_months)))
    )
    return MyDay(
        due_tasks=list(due.select_related("client", "deal", "owner").order_by("due_at", "id")[:rows]),
        due_tasks_count=figures.total("tasks", "due"),
        overdue_tasks_count=figures.total("tasks", "overdue"),
        today_tasks_count=figures.total("tasks", "today"),
        calls=list(calls[:rows]),
        calls_count=client_counts["regular"] if regular_only else client_counts["total"],
        regular_count=client_counts["regular"],
        without_task=list(without_task.order_by("stage_changed_at", "id")[:rows]),
        without_task_count=figures.total("deals", "without_task"),
        overdue_deals=list(overdue_deals.order_by("-updated_at", "-id")[:rows]),
        overdue_deals_count=figures.total("deals", "overdue"),
        clients_count=client_counts["total"],
        open_deals_count=figures.total("deals", "open_n"),
        open_deals_amount=figures.total("deals", "total"),
    )


# --- the clients list --------------------------------------------------------------------------------------------

CLIENT_SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "owner": ("owner__last_name", "owner__first_name", "name", "id"),
    "-owner": ("-owner__last_name", "-owner__first_name", "name", "id"),
    "last_purchase": (F("last_purchase").asc(nulls_first=True), "name", "id"),
    "-last_purchase": (F("last_purchase").desc(nulls_last=True), "name", "id"),
    "turnover": ("turnover_12m", "name", "id"),
    "-turnover": ("-turnover_12m", "name", "id"),
    "last_contact": (F("last_contact").asc(nulls_first=True), "name", "id"),
    "-last_contact": (F("last_contact").desc(nulls_last=True), "name", "id"),
}
DEFAULT_CLIENT_SORT = "name"


def client_rows(clients: QuerySet[Client], *, user: User, today: date, sort: str) -> QuerySet[Client]:
    """The list's rows: owner and segment joined, the figures annotated, sorted by a known key."""
    ordering = CLIENT_SORTS.get(sort, CLIENT_SORTS[DEFAULT_CLIENT_SORT])
    rows = with_client_figures(clients.select_related("owner", "segment"), user=user, today=today)
    return rows.order_by(*ordering)


def client_filter_choices(*, user: User) -> dict[str, Any]:
    """What the filter bar offers: segments, the regions of the visible clients, and owners for those who see others."""
    regions = (
        Client.objects.visible_to(user)
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    owners: list[User] = []
    if user.is_head or user.role == "team_lead":
        owners = list(User.objects.visible_to(user).sellers())
    return {"segments": list(MarketSegment.objects.all()), "regions": list(regions), "owners": owners}


# --- the client card ---------------------------------------------------------------------------------------------


@dataclass
class MonthSales:
    month: date
    amount: Decimal


@dataclass
class ClientCard:
    contacts: list[ContactPerson]
    sales_by_month: list[MonthSales]
    sales_total: Decimal
    deals: list[Deal]
    activities: list[Activity]
    activities_count: int
    ownership: list[OwnershipChange]
    changes: list[ChangeLog]
    figures: dict[str, Any] = field(default_factory=dict)


def client_sales_by_month(*, client: Client, user: User, today: date, months: int = 24) -> list[MonthSales]:
    """The client's sales per calendar month, the last `months` months up to this one, zero where nothing sold."""
    first = month_shift(today.replace(day=1), -(months - 1))
    rows = (
        SaleLine.objects.visible_to(user)
        .filter(client=client, date__gte=first, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
    )
    totals = {row["month"]: row["total"] for row in rows}
    return [MonthSales(month=m, amount=totals.get(m, ZERO)) for m in (month_shift(first, n) for n in range(months))]


def client_card(*, client: Client, user: User, now: datetime, activity_rows: int = 50) -> ClientCard:
    """Everything the client card shows beyond the client's own fields."""
    today = timezone.localdate(now)
    sales = client_sales_by_month(client=client, user=user, today=today)
    activities = Activity.objects.visible_to(user).filter(client=client)
    figures = (
        with_client_figures(Client.objects.visible_to(user).filter(pk=client.pk), user=user, today=today)
        .values("last_contact", "last_purchase", "turnover_12m")  # type: ignore[misc]
        .first()
    ) or {}
    return ClientCard(
        contacts=list(ContactPerson.objects.visible_to(user).filter(client=client).order_by("full_name", "id")),
        sales_by_month=sales,
        sales_total=sum((s.amount for s in sales), ZERO),
        deals=list(
            Deal.objects.visible_to(user)
            .filter(client=client)
            .select_related("owner", "lost_reason")
            .order_by("-updated_at", "-id")
        ),
        activities=list(activities.select_related("owner", "deal").order_by("-created_at", "-id")[:activity_rows]),
        activities_count=activities.count(),
        ownership=list(
            OwnershipChange.objects.visible_to(user)
            .filter(client=client)
            .select_related("from_owner", "to_owner", "by")
            .order_by("-at", "-id")
        ),
        changes=list(
            ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Client), object_id=client.pk)
            .select_related("by")
            .order_by("-at", "-id")[:100]
        ),
        figures=figures,
    )


def change_rows(changes: list[ChangeLog]) -> list[dict[str, Any]]:
    """The change log made readable: field labels, choice labels, and names instead of user and segment ids."""
    user_ids: set[int] = set()
    segment_ids: set[int] = set()
    for change in changes:
        for name, values in change.changes.items():
            ids = {v for v in values if isinstance(v, int)}
            if name == "owner_id":
                user_ids |= ids
            elif name == "segment_id":
                segment_ids |= ids
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    segments = {s.pk: str(s) for s in MarketSegment.objects.filter(pk__in=segment_ids)} if segment_ids else {}
    fields = {f.attname: f for f in Client._meta.concrete_fields}

    def shown(name: str, value: Any) -> Any:
        if value in (None, ""):
            return "—"
        if name == "owner_id":
            return users.get(value, value)
        if name == "segment_id":
            return segments.get(value, value)
        model_field = fields.get(name)
        if model_field is not None and model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        return value

    rows = []
    for change in changes:
        items = []
        for name, values in change.changes.items():
            if name in HIDDEN_CHANGES:
                continue
            before, after = [*list(values), None, None][:2]
            model_field = fields.get(name)
            label = model_field.verbose_name if model_field is not None else name
            items.append({"label": label, "before": shown(name, before), "after": shown(name, after)})
        rows.append({"change": change, "items": items})
    return rows
