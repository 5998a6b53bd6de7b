"""The plan figures of DOMAIN.md section 4 as pure functions: R, A, O, G, E, N and the cross-sell cover from a month's
history table; no ORM, the numbers are arguments or the constants here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.calendar import month_start
from core.calendar import window_months as calendar_window
from core.money import money_div, money_mul, to_money
from crm.rules.clients import REGULAR_MIN_MONTHS, REGULAR_WINDOW_MONTHS

# The window and the regular-client threshold are the regular-client rule's (crm/rules/clients.py).
WINDOW_MONTHS = REGULAR_WINDOW_MONTHS
CROSS_SELL_FACTOR = 5
ONE_OFF_SHARE_MIN, ONE_OFF_SHARE_MAX = Decimal("0.20"), Decimal("0.25")
EXISTING_SHARE_MIN, EXISTING_SHARE_MAX = Decimal("0.5"), Decimal("0.6667")
GAP_BAND_PERCENT = (Decimal("25"), Decimal("40"))

ZERO = Decimal("0")
FIGURES = (
    "months_worked",
    "window_total",
    "regular_total",
    "average_monthly",
    "one_off",
    "active_gap",
    "active_existing",
    "active_new",
    "cross_sell_cover",
)


def window_months(month: date) -> list[date]:
    """The first days of the 4 full calendar months before `month`, oldest first."""
    return calendar_window(month, WINDOW_MONTHS)


def window_bounds(month: date) -> tuple[date, date]:
    """The first and the last day of the window of the plan month `month`."""
    months = window_months(month)
    return months[0], month_start(month) - timedelta(days=1)


def gap_percent(target: Decimal, gap: Decimal) -> Decimal | None:
    """G as per cent of T, to one decimal; None when T is 0."""
    if not target:
        return None
    return (Decimal(gap) * 100 / Decimal(target)).quantize(Decimal("0.1"))


def gap_warning(target: Decimal, gap: Decimal) -> bool:
    """G outside 25-40 per cent of T (or no T at all) is shown as a warning."""
    percent = gap_percent(target, gap)
    low, high = GAP_BAND_PERCENT
    return percent is None or not (low <= percent <= high)


@dataclass(frozen=True)
class LineFigures:
    client_id: int
    monthly: tuple[Decimal, ...]
    months_with_purchases: int
    window_total: Decimal
    plan: Decimal


@dataclass(frozen=True)
class PlanFigures:
    target: Decimal
    one_off_share: Decimal
    active_existing_share: Decimal
    months_worked: int
    window_total: Decimal
    regular_total: Decimal
    average_monthly: Decimal
    one_off: Decimal
    active_gap: Decimal
    active_existing: Decimal
    active_new: Decimal
    cross_sell_cover: Decimal
    lines: tuple[LineFigures, ...] = field(default_factory=tuple)

    @property
    def gap_percent(self) -> Decimal | None:
        return gap_percent(self.target, self.active_gap)

    @property
    def gap_warning(self) -> bool:
        return gap_warning(self.target, self.active_gap)


def compute_plan(
    rows: Iterable[tuple[int, date, Decimal]],
    *,
    months: list[date],
    target: Decimal,
    one_off_share: Decimal = ONE_OFF_SHARE_MIN,
    active_existing_share: Decimal = EXISTING_SHARE_MIN,
) -> PlanFigures:
    """DOMAIN.md section 4 on plain rows `(client_id, month's first day, amount)` of one manager's window."""
    index = {m: i for i, m in enumerate(months)}
    by_client: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * len(months))
    for client_id, month, amount in rows:
        by_client[client_id][index[month]] += Decimal(amount)
    by_month = [sum((amounts[i] for amounts in by_client.values()), ZERO) for i in range(len(months))]
    window_total = to_money(sum(by_month, ZERO))
    lines = []
    for client_id, amounts in by_client.items():
        bought = sum(1 for amount in amounts if amount > 0)
        if bought >= REGULAR_MIN_MONTHS:
            total = to_money(sum(amounts, ZERO))
            lines.append(
                LineFigures(
                    client_id=client_id,
                    monthly=tuple(to_money(a) for a in amounts),
                    months_with_purchases=bought,
                    window_total=total,
                    plan=money_div(max(total, ZERO), WINDOW_MONTHS),
                )
            )
    lines.sort(key=lambda line: (-line.plan, line.client_id))
    target = to_money(target)
    regular = sum((line.plan for line in lines), ZERO)
    average = money_div(max(window_total, ZERO), WINDOW_MONTHS)
    one_off = money_mul(max(average - regular, ZERO), one_off_share)
    gap = target - regular - one_off
    existing = money_mul(gap, active_existing_share) if gap > 0 else ZERO
    new = gap - existing if gap > 0 else ZERO
    return PlanFigures(
        target=target,
        one_off_share=Decimal(one_off_share),
        active_existing_share=Decimal(active_existing_share),
        months_worked=sum(1 for amount in by_month if amount > 0),
        window_total=window_total,
        regular_total=to_money(regular),
        average_monthly=average,
        one_off=one_off,
        active_gap=to_money(gap),
        active_existing=existing,
        active_new=to_money(new),
        cross_sell_cover=money_mul(existing, CROSS_SELL_FACTOR),
        lines=tuple(lines),
    )


def draft_target(*, previous_target: Decimal | None, average_monthly: Decimal) -> Decimal:
    """The nightly draft's T: last month's approved target, else A rounded half-up to whole thousands of roubles."""
    if previous_target is not None:
        return to_money(previous_target)
    return to_money((Decimal(average_monthly) / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000)
