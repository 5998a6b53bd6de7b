"""Reads for the 3-month rule: the head's queue with its facts and suggestions, and the clients near the rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.calendar import year_before
from crm.models import (
    Activity,
    Client,
    Deal,
    DealStageChange,
    DepartmentSettings,
    OwnershipChange,
    Reassignment,
    SaleLine,
    User,
)
from crm.rules.reassignments import latest_owned_since, rule_date
from crm.rules.stages import CONCLUDED_STAGES, Stage
from crm.services.reassignments import sellers_by_load

CONTACT_KINDS = (Activity.Kind.CALL, Activity.Kind.MEETING)
OPEN_FLAGS = (Reassignment.Status.PENDING, Reassignment.Status.EXTENDED)


def concluded_since(as_of: date, client_ref: str = "pk", since_ref: str = "owned_since") -> Q:
    """Something concluded with the client since its ownership began (DOMAIN.md section 3, the 3-month rule):
    a deal of the client moved past `contract` on or after that day, or a sale of the client dated on or after it
    (a 1C sales document is a concluded deal), up to `as_of`. What was concluded before does not count, whoever
    owns it now. `crm.rules.reassignments.is_caught` is the same rule on plain values."""
    moved_past_contract = DealStageChange.objects.filter(
        deal__client_id=OuterRef(client_ref),
        from_stage=Stage.CONTRACT,
        to_stage__in=CONCLUDED_STAGES,
        at__date__gte=OuterRef(since_ref),
        at__date__lte=as_of,
    )
    sold = SaleLine.objects.filter(client_id=OuterRef(client_ref), date__gte=OuterRef(since_ref), date__lte=as_of)
    return Q(Exists(moved_past_contract.order_by())) | Q(Exists(sold.order_by()))


def rule_candidates(as_of: date, months: int) -> QuerySet[Client]:
    """Owned clients past the rule date, with nothing concluded since their ownership began and no flag for it."""
    same_period = Reassignment.objects.filter(
        client_id=OuterRef("pk"), owner_id=OuterRef("owner_id"), owned_since=OuterRef("owned_since")
    )
    return (
        Client.objects.filter(owner__isnull=False, owned_since__lte=latest_owned_since(as_of, months))
        .exclude(concluded_since(as_of))
        .exclude(Exists(same_period))
        .order_by()
    )


def queue_rows(*, flags: QuerySet[Reassignment], deals: QuerySet[Deal]) -> QuerySet[Reassignment]:
    """The flags with their facts in a constant number of queries (3): the flags with the activities counted
    during the flagged ownership and the last contact (a done call or meeting), then the clients' deals (through
    `deals`, so visibility holds).

    `activities_count` counts the owner's activities on the client dated on or after `owned_since` (done or
    planned); `last_contact` is the latest done call or meeting of anyone with the client.
    """
    during = (
        Activity.objects.filter(client_id=OuterRef("client_id"), owner_id=OuterRef("owner_id"))
        .filter(
            Q(done_at__date__gte=OuterRef("owned_since"))
            | Q(done_at__isnull=True, created_at__date__gte=OuterRef("owned_since"))
        )
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contacts = (
        Activity.objects.filter(client_id=OuterRef("client_id"), kind__in=CONTACT_KINDS, done_at__isnull=False)
        .order_by()
        .values("client_id")
        .annotate(last=Max("done_at"))
        .values("last")
    )
    return (
        flags.select_related("client", "owner", "owner__team", "new_owner", "decided_by")
        .annotate(
            activities_count=Coalesce(Subquery(during, output_field=IntegerField()), Value(0)),
            last_contact=Subquery(contacts),
        )
        .prefetch_related(
            Prefetch("client__deals", queryset=deals.order_by("-updated_at", "-id"), to_attr="queue_deals")
        )
    )


MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)


def with_purchases(flags: QuerySet[Reassignment], *, user: User, today: date) -> QuerySet[Reassignment]:
    """Annotate the flags with their client's last purchase (`last_purchase_on`, and `last_purchase_amount`, the
    sum of the client's sales lines on that day) and `turnover_12m` (its sales in the 12 months up to `today`),
    from the sales history the user sees; subqueries of the one query of the flags, so no query per row."""
    sales = SaleLine.objects.visible_to(user).filter(client_id=OuterRef("client_id")).order_by().values("client_id")
    last_day = sales.filter(date__lte=today).annotate(last=Max("date")).values("last")
    last_amount = (
        SaleLine.objects.visible_to(user)
        .filter(client_id=OuterRef("client_id"), date=OuterRef("last_purchase_on"))
        .order_by()
        .values("client_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    turnover = sales.filter(date__gt=year_before(today), date__lte=today).annotate(total=Sum("amount")).values("total")
    return flags.annotate(last_purchase_on=Subquery(last_day, output_field=DateField())).annotate(
        last_purchase_amount=Subquery(last_amount, output_field=MONEY),
        turnover_12m=Coalesce(Subquery(turnover, output_field=MONEY), Value(Decimal(0)), output_field=MONEY),
    )


def attach_suggestions(rows: Sequence[Reassignment]) -> None:
    """Set `row.suggestions` on each flag: the sellers who may take its client, lightest load first (2 queries)."""
    if not rows:
        return
    sellers = list(sellers_by_load())
    lost_it: dict[int, set[int]] = defaultdict(set)
    history = OwnershipChange.objects.filter(
        client_id__in={row.client_id for row in rows},
        from_owner__isnull=False,
        cause__in=(OwnershipChange.Cause.RULE, OwnershipChange.Cause.LOST),
    ).values_list("client_id", "from_owner_id")
    for client_id, from_owner_id in history:
        lost_it[client_id].add(from_owner_id)
    for row in rows:
        excluded = lost_it[row.client_id] | {row.client.owner_id}
        row.suggestions = [seller for seller in sellers if seller.pk not in excluded]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NearRow:
    """A client near the rule, as ordered: the day it goes to the queue, its name and id, its extension's end."""

    rule_date: date
    name: str
    pk: int
    extended_until: date | None


def near_rule_rows(user: User, today: date) -> list[NearRow]:
    """The user's clients (a team lead's: the team's) that the rule will catch within the warning days, narrow
    (no client row, no owner) and in order: a page then reads its clients with `near_rule_clients`.

    Two kinds, in one query: a client without a flag for its ownership whose rule date falls after today and
    within `rule_warning_days`; and an extended client whose extension ends within them.
    """
    settings = DepartmentSettings.current()
    months, warning = settings.reassign_after_months, settings.rule_warning_days
    horizon = today + timedelta(days=warning)
    flag = Reassignment.objects.filter(
        client_id=OuterRef("pk"), owner_id=OuterRef("owner_id"), owned_since=OuterRef("owned_since")
    )
    extended = flag.filter(status=Reassignment.Status.EXTENDED)
    owned = Client.objects.visible_to(user).filter(owner__isnull=False)
    # Two queries, one per kind: with an OR between them the planner ran the "concluded" subqueries for every
    # owned client (95 000 at the huge scale) before the cheap date range; apart, each kind is narrowed first.
    coming = (
        owned.filter(
            owned_since__gt=latest_owned_since(today, months), owned_since__lte=latest_owned_since(horizon, months)
        )
        .exclude(Exists(flag))
        .exclude(concluded_since(today))
        .annotate(extended_until=Value(None, output_field=DateField()))
    )
    ending = (
        owned.filter(Exists(extended.filter(extended_until__gte=today, extended_until__lt=horizon)))
        .exclude(concluded_since(today))
        .annotate(extended_until=Subquery(extended.values("extended_until")[:1], output_field=DateField()))
    )
    clients = [
        *coming.order_by().values_list("pk", "name", "owned_since", "extended_until"),
        *ending.order_by().values_list("pk", "name", "owned_since", "extended_until"),
    ]
    rows = [
        NearRow(
            rule_date=extended_until + timedelta(days=1) if extended_until else rule_date(owned_since, months),  # type: ignore[arg-type]
            name=name,
            pk=pk,
            extended_until=extended_until,
        )
        for pk, name, owned_since, extended_until in clients
    ]
    rows.sort(key=lambda row: (row.rule_date, row.name, row.pk))
    return rows


def near_rule_clients(rows: Iterable[NearRow]) -> list[Client]:
    """The clients of `rows` (a page of `near_rule_rows`), in their order, each with `rule_date` and
    `extended_until`, and its owner: one query."""
    rows = list(rows)
    found = Client.objects.select_related("owner").in_bulk([row.pk for row in rows])
    clients = []
    for row in rows:
        if (client := found.get(row.pk)) is not None:
            client.rule_date = row.rule_date  # type: ignore[attr-defined]
            client.extended_until = row.extended_until  # type: ignore[attr-defined]
            clients.append(client)
    return clients


def clients_near_rule(user: User, today: date) -> list[Client]:
    """All the clients near the rule, each with `rule_date` (the day it goes to the head's queue) and
    `extended_until` (pages use `near_rule_rows` and read only their rows' clients)."""
    return near_rule_clients(near_rule_rows(user, today))
