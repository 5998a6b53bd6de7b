"""Working the plan (DOMAIN.md section 4): weekly targets, the call tracker, the one-off funnel, Tools 1 and 2."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Min, Q, Sum, Value, When
from django.utils import timezone

from core.calendar import month_end, month_shift, month_start, week_bounds
from core.money import money_div, money_mul
from crm.models import Activity, Client, Deal, DepartmentSettings, Product, ProductCategory, SaleLine, User
from crm.rules import numbers as N
from crm.rules.stages import Stage
from planning.models import ComplementRule, FeaturedItem, Plan, PlanLine, Tool2Item, Tool2Strike
from planning.rules.tools import TOOL2_PAGE_LINES, fits_one_page

ZERO = Decimal("0")
# A client "buys" a category when it makes at least 5 per cent of his window turnover; below that (or zero) the
# category is open for cross-selling.
MIN_CATEGORY_SHARE = Decimal("0.05")
# A suggestion is worth this share of the client's average monthly purchase in the categories that lead to it: a
# complement usually sells for a fraction of the base equipment (cable and power for cameras, not a second camera).
SUGGESTION_FACTOR = Decimal("0.5")
FUNNEL_STAGES = (Stage.CONTRACT, Stage.PAYMENT)


def current_plans(plans: Iterable[Plan]) -> dict[int, Plan]:
    """Per manager: the approved version if any, else the latest draft (rows of one month, any order)."""
    chosen: dict[int, Plan] = {}
    for plan in plans:
        if plan.status == Plan.Status.SUPERSEDED:
            continue
        best = chosen.get(plan.manager_id)
        rank = (plan.status == Plan.Status.APPROVED, plan.version)
        if best is None or rank > (best.status == Plan.Status.APPROVED, best.version):
            chosen[plan.manager_id] = plan
    return chosen


def current_plans_for(
    *, user: User, managers: Iterable[int], month: date, approved_only: bool = False
) -> dict[int, Plan]:
    """The current plan of each of `managers` for `month`, through visible_to: one query. `approved_only`: the
    approved version or none (plan/fact and pay read the T the head approved)."""
    rows = Plan.objects.visible_to(user).filter(month=month, manager_id__in=list(managers))
    if approved_only:
        rows = rows.filter(status=Plan.Status.APPROVED)
    return current_plans(rows.exclude(status=Plan.Status.SUPERSEDED))


def current_plan(*, user: User, manager: User, month: date) -> Plan | None:
    return current_plans_for(user=user, managers=[manager.pk], month=month).get(manager.pk)


def visible_sellers(user: User) -> Any:
    """The sellers whose plans `user` may work: himself, his team for a team lead, everyone for the head."""
    return User.objects.visible_to(user).sellers().select_related("team").order_by("last_name", "first_name", "pk")


# --- Weekly targets, call tracker and the one-off funnel -------------------------------------------------------


@dataclass
class RegularRow:
    client: Client
    monthly_plan: Decimal
    weekly_target: Decimal
    week_orders: Decimal
    calls: int
    calls_per_week: int = N.REGULAR_CALLS_PER_WEEK

    @property
    def calls_left(self) -> int:
        return max(self.calls_per_week - self.calls, 0)

    @property
    def target_met(self) -> bool:
        return self.week_orders >= self.weekly_target


@dataclass
class FunnelRow:
    client: Client
    kind: str  # "sale" or "deal"
    reference: str
    day: date | None
    amount: Decimal


@dataclass
class PlanWork:
    manager: User
    plan: Plan | None
    week_start: date
    week_end: date
    regular: list[RegularRow] = field(default_factory=list)
    funnel: list[FunnelRow] = field(default_factory=list)
    calls_per_week: int = N.REGULAR_CALLS_PER_WEEK

    @property
    def weekly_total(self) -> Decimal:
        return sum((row.weekly_target for row in self.regular), ZERO)

    @property
    def week_orders_total(self) -> Decimal:
        return sum((row.week_orders for row in self.regular), ZERO)

    @property
    def funnel_total(self) -> Decimal:
        return sum((row.amount for row in self.funnel), ZERO)

    @property
    def calls_done(self) -> int:
        return sum(min(row.calls, self.calls_per_week) for row in self.regular)

    @property
    def calls_needed(self) -> int:
        return self.calls_per_week * len(self.regular)


def plan_work(*, user: User, manager: User, today: date) -> PlanWork:
    """The manager's week: regular clients with 1/4 of their monthly plan, orders and calls this ISO week; the
    one-off funnel (this month's unpaid sale lines of non-regular clients and deals at contract or payment)."""
    month = month_start(today)
    week_start, week_end = week_bounds(today)
    plan = current_plan(user=user, manager=manager, month=month)
    settings = DepartmentSettings.current()
    work = PlanWork(
        manager=manager,
        plan=plan,
        week_start=week_start,
        week_end=week_end,
        calls_per_week=settings.regular_calls_per_week,
    )
    lines: list[PlanLine] = list(plan.lines.select_related("client")) if plan else []
    regular_ids = [line.client_id for line in lines]
    if lines:
        orders = dict(
            SaleLine.objects.visible_to(user)
            # Only the plan month's orders: a week that spans two months is split between them.
            .filter(client_id__in=regular_ids, date__range=(max(week_start, month), min(week_end, month_end(month))))
            .order_by()
            .values_list("client_id")
            .annotate(total=Sum("amount"))
        )
        tz = timezone.get_current_timezone()
        calls = dict(
            Activity.objects.visible_to(user)
            .filter(
                kind=Activity.Kind.CALL,
                direction=Activity.Direction.OUTGOING,  # the manager calls the client
                client_id__in=regular_ids,
                done_at__gte=datetime.combine(week_start, time.min, tzinfo=tz),
                done_at__lt=datetime.combine(week_end + timedelta(days=1), time.min, tzinfo=tz),
            )
            .order_by()
            .values_list("client_id")
            .annotate(n=Count("pk"))
        )
        work.regular = [
            RegularRow(
                client=line.client,
                monthly_plan=line.plan_amount,
                weekly_target=money_div(line.plan_amount, settings.weeks_per_month),
                week_orders=orders.get(line.client_id) or ZERO,
                calls=calls.get(line.client_id, 0),
                calls_per_week=settings.regular_calls_per_week,
            )
            for line in lines
        ]
    unpaid_rows = list(
        SaleLine.objects.visible_to(user)
        .filter(manager=manager, is_paid=False, date__gte=month, date__lt=month_shift(month, 1))
        .exclude(client_id__in=regular_ids)
        .order_by()
        .values("client_id", "document_number")
        .annotate(amount=Sum("amount"), first=Min("date"))
    )
    deals = list(
        Deal.objects.visible_to(user)
        .filter(owner=manager, stage__in=FUNNEL_STAGES)
        .exclude(client_id__in=regular_ids)
        .select_related("client")
        .order_by("expected_close_date", "pk")
    )
    clients = Client.objects.in_bulk({row["client_id"] for row in unpaid_rows}) if unpaid_rows else {}
    work.funnel = [
        FunnelRow(
            client=clients[row["client_id"]],
            kind="sale",
            reference=row["document_number"],
            day=row["first"],
            amount=row["amount"],
        )
        for row in sorted(unpaid_rows, key=lambda r: (r["first"], r["document_number"]))
    ] + [
        FunnelRow(
            client=deal.client,
            kind="deal",
            reference=deal.title,
            day=deal.expected_close_date,
            amount=deal.invoice_amount or deal.amount,
        )
        for deal in deals
    ]
    return work


# --- Tool 1: the cross-sell list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    category_id: int
    because_of: tuple[int, ...]
    value: Decimal


@dataclass
class ClientSuggestions:
    client_id: int
    turnover: Decimal
    suggestions: list[Suggestion]

    @property
    def value(self) -> Decimal:
        return sum((s.value for s in self.suggestions), ZERO)


def cross_sell(
    rows: Iterable[tuple[int, int, Decimal]],
    rules: Iterable[tuple[int, int]],
    *,
    months: int = N.PLAN_WINDOW_MONTHS,
    min_share: Decimal = MIN_CATEGORY_SHARE,
    factor: Decimal = SUGGESTION_FACTOR,
) -> list[ClientSuggestions]:
    """From (client, category, window turnover) rows and (category -> complement) rules: per client, the complements
    of the categories he buys (>= `min_share` of his turnover) in which he buys less than `min_share`; each valued at
    `factor` x his average monthly purchase in the categories that lead to it. Clients by turnover, largest first."""
    complements: dict[int, set[int]] = defaultdict(set)
    for category, complement in rules:
        complements[category].add(complement)
    by_client: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for client_id, category_id, total in rows:
        by_client[client_id][category_id] += Decimal(total or 0)
    result: list[ClientSuggestions] = []
    for client_id, categories in by_client.items():
        turnover = sum(categories.values(), ZERO)
        if turnover <= 0:
            continue
        bought = {c for c, amount in categories.items() if amount > 0 and amount / turnover >= min_share}
        reasons: dict[int, list[int]] = defaultdict(list)
        for base in sorted(bought):
            for complement in complements.get(base, ()):
                if complement not in bought:
                    reasons[complement].append(base)
        suggestions = [
            Suggestion(
                category_id=complement,
                because_of=tuple(bases),
                value=money_mul(money_div(sum((categories[b] for b in bases), ZERO), months), factor),
            )
            for complement, bases in reasons.items()
        ]
        if suggestions:
            suggestions.sort(key=lambda s: (-s.value, s.category_id))
            result.append(ClientSuggestions(client_id=client_id, turnover=turnover, suggestions=suggestions))
    result.sort(key=lambda c: (-c.turnover, c.client_id))
    return result


@dataclass
class CrossSellRow:
    client: Client
    turnover: Decimal
    category: Any
    because_of: list[Any]
    product: Product | None
    value: Decimal
    cumulative: Decimal
    within_cover: bool


@dataclass
class CrossSellList:
    manager: User
    month: date
    window_start: date
    window_end: date
    plan: Plan | None
    rows: list[CrossSellRow]

    @property
    def cover(self) -> Decimal:
        return self.plan.cross_sell_cover if self.plan else ZERO

    @property
    def carried(self) -> Decimal:
        return sum((row.value for row in self.rows), ZERO)

    @property
    def shortfall(self) -> Decimal:
        return max(self.cover - self.carried, ZERO)


def cross_sell_list(*, user: User, manager: User, month: date) -> CrossSellList:
    """Tool 1 for the manager and the plan month: his sales of the 4 full months before `month`, by client and
    category (one aggregate query), against the head's complement map; the best-selling active product to offer."""
    plan = current_plan(user=user, manager=manager, month=month)
    # The plan's own window (an approved plan keeps the one it was computed with); the setting without a plan.
    if plan is not None and plan.window_start and plan.window_end:
        window_start, window_end = plan.window_start, plan.window_end
        window = (window_end.year - window_start.year) * 12 + window_end.month - window_start.month + 1
    else:
        window = DepartmentSettings.current().plan_window_months
        window_start, window_end = month_shift(month, -window), month - timedelta(days=1)
    sales = SaleLine.objects.visible_to(user).filter(
        manager=manager, date__range=(window_start, window_end), product__category__isnull=False
    )
    rows = list(sales.order_by().values_list("client_id", "product__category_id").annotate(total=Sum("amount")))
    # A deactivated category is no longer sold: the map's pairs that offer it are left out.
    rules = list(ComplementRule.objects.filter(complement__is_active=True).values_list("category_id", "complement_id"))
    suggested = cross_sell(rows, rules, months=window)
    categories_needed = {s.category_id for c in suggested for s in c.suggestions} | {
        b for c in suggested for s in c.suggestions for b in s.because_of
    }
    offers = best_products(
        [s.category_id for c in suggested for s in c.suggestions], window_start=window_start, window_end=window_end
    )
    categories = ProductCategory.objects.in_bulk(categories_needed) if categories_needed else {}
    clients = Client.objects.in_bulk([c.client_id for c in suggested]) if suggested else {}
    result: list[CrossSellRow] = []
    cumulative = ZERO
    cover = plan.cross_sell_cover if plan else ZERO
    for entry in suggested:
        for suggestion in entry.suggestions:
            within = cumulative < cover
            cumulative += suggestion.value
            result.append(
                CrossSellRow(
                    client=clients[entry.client_id],
                    turnover=entry.turnover,
                    category=categories[suggestion.category_id],
                    because_of=[categories[b] for b in suggestion.because_of],
                    product=offers.get(suggestion.category_id),
                    value=suggestion.value,
                    cumulative=cumulative,
                    within_cover=within,
                )
            )
    return CrossSellList(
        manager=manager, month=month, window_start=window_start, window_end=window_end, plan=plan, rows=result
    )


def best_products(category_ids: Iterable[int], *, window_start: date, window_end: date) -> dict[int, Product]:
    """Per category: the active product with the largest department sales in the window, else its first active
    product by name (two queries whatever the number of categories)."""
    wanted = set(category_ids)
    if not wanted:
        return {}
    products = list(Product.objects.filter(category_id__in=wanted, is_active=True).order_by("category_id", "name"))
    sold = dict(
        SaleLine.objects.filter(
            product__in=[p.pk for p in products], date__range=(window_start, window_end), product__isnull=False
        )
        .order_by()
        .values_list("product_id")
        .annotate(total=Sum("amount"))
    )
    best: dict[int, Product] = {}
    for product in products:
        category_id: int = product.category_id  # type: ignore[assignment]  # filtered on category above
        current = best.get(category_id)
        if current is None or (sold.get(product.pk) or ZERO) > (sold.get(current.pk) or ZERO):
            best[category_id] = product
    return best


# --- Tool 2 ----------------------------------------------------------------------------------------------------


def featured_valid(*, today: date) -> Any:
    return FeaturedItem.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=today)


def featured_today(*, today: date) -> Any:
    """The head's items valid today in the page's order: NEW, PROMOTIONS, HIGH-MOTIVATION BRANDS, CLEARANCE."""
    order = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(FeaturedItem.Kind.values)],
        output_field=IntegerField(),
    )
    return (
        featured_valid(today=today)
        .select_related("product", "product__brand", "product__category")
        .annotate(kind_order=order)
        .order_by("kind_order", "product__name", "pk")
    )


def tool2_groups(*, today: date) -> list[tuple[str, str, list[FeaturedItem]]]:
    """The department-wide items valid today grouped by kind in the order NEW, PROMOTIONS, HIGH-MOTIVATION BRANDS,
    CLEARANCE."""
    items = featured_today(today=today)
    grouped: dict[str, list[FeaturedItem]] = {kind: [] for kind in FeaturedItem.Kind.values}
    for item in items:
        grouped[item.kind].append(item)
    return [(kind, str(label), grouped[kind]) for kind, label in FeaturedItem.Kind.choices]


@dataclass
class Tool2Line:
    """A line of a manager's Tool 2: one of the head's items (`featured`) or one he added (`own`)."""

    kind: str
    name: str
    brand: str
    note: str
    valid_to: date | None = None
    featured: FeaturedItem | None = None
    own: Tool2Item | None = None


@dataclass
class Tool2List:
    manager: User
    groups: list[tuple[str, str, list[Tool2Line]]]
    struck: list[FeaturedItem]
    page_lines: int = TOOL2_PAGE_LINES

    @property
    def lines(self) -> int:
        return sum(len(lines) for _, _, lines in self.groups)

    @property
    def fits_one_page(self) -> bool:
        return fits_one_page(self.lines, page_lines=self.page_lines)


def _own_line(item: Tool2Item) -> Tool2Line:
    product = item.product
    name = product.name if product else item.text
    brand = str(product.brand) if product and product.brand else ""
    return Tool2Line(kind=item.kind, name=name, brand=brand, note=item.note, own=item)


def tool2_list(*, user: User, manager: User, today: date) -> Tool2List:
    """The manager's own Tool 2 as `user` may see it: the head's items valid today less those he struck out, then
    the items he added, by group; and the head's items he struck out (three queries)."""
    struck_ids = set(Tool2Strike.objects.visible_to(user).filter(manager=manager).values_list("item_id", flat=True))
    own = Tool2Item.objects.visible_to(user).filter(manager=manager).select_related("product", "product__brand")
    grouped: dict[str, list[Tool2Line]] = {kind: [] for kind in FeaturedItem.Kind.values}
    struck: list[FeaturedItem] = []
    for item in featured_today(today=today):
        if item.pk in struck_ids:
            struck.append(item)
            continue
        grouped[item.kind].append(
            Tool2Line(
                kind=item.kind,
                name=item.product.name,
                brand=str(item.product.brand) if item.product.brand else "",
                note=item.note,
                valid_to=item.valid_to,
                featured=item,
            )
        )
    for mine in own.order_by("pk"):
        grouped[mine.kind].append(_own_line(mine))
    groups = [(kind, str(label), grouped[kind]) for kind, label in FeaturedItem.Kind.choices]
    return Tool2List(manager=manager, groups=groups, struck=struck)
