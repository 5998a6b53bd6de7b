"""The plan figures of DOMAIN.md section 4 as pure functions: R, A, O, G, E, N and the cross-sell cover from a month's
history table. No ORM; the numbers come in a `PlanNumbers`, which the callers fill from the head's settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.calendar import month_start
from core.calendar import window_months as calendar_window
from core.money import money_div, money_mul, money_share, to_money
from crm.rules import numbers as N
from crm.rules.clients import is_regular


@dataclass(frozen=True)
class PlanNumbers:
    """The section 4 numbers a plan is computed with: the head's settings (`plan_numbers()` in
    planning/selectors/plans.py); the defaults are those of the settings (crm/rules/numbers.py)."""

    window_months: int = N.PLAN_WINDOW_MONTHS
    regular_min_months: int = N.REGULAR_MIN_MONTHS
    one_off_share_min: Decimal = N.ONE_OFF_SHARE_MIN
    one_off_share_max: Decimal = N.ONE_OFF_SHARE_MAX
    existing_share_min: Decimal = N.EXISTING_SHARE_MIN
    existing_share_max: Decimal = N.EXISTING_SHARE_MAX
    gap_band_min: Decimal = N.GAP_BAND_MIN
    gap_band_max: Decimal = N.GAP_BAND_MAX
    cross_sell_cover: int = N.CROSS_SELL_COVER


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


def window_months(month: date, months: int = N.PLAN_WINDOW_MONTHS) -> list[date]:
    """The first days of the `months` (4) full calendar months before `month`, oldest first."""
    return calendar_window(month, months)


def window_bounds(month: date, months: int = N.PLAN_WINDOW_MONTHS) -> tuple[date, date]:
    """The first and the last day of the window of the plan month `month`."""
    months_list = window_months(month, months)
    return months_list[0], month_start(month) - timedelta(days=1)


def gap_percent(target: Decimal, gap: Decimal) -> Decimal | None:
    """G as per cent of T, to one decimal; None when T is 0."""
    if not target:
        return None
    return (Decimal(gap) * 100 / Decimal(target)).quantize(Decimal("0.1"))


def gap_warning(
    target: Decimal, gap: Decimal, *, low: Decimal = N.GAP_BAND_MIN, high: Decimal = N.GAP_BAND_MAX
) -> bool:
    """G outside the usual band (25-40 per cent) of T, or no T at all, is shown as a warning."""
    percent = gap_percent(target, gap)
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
    gap_band: tuple[Decimal, Decimal] = (N.GAP_BAND_MIN, N.GAP_BAND_MAX)

    @property
    def gap_percent(self) -> Decimal | None:
        return gap_percent(self.target, self.active_gap)

    @property
    def gap_warning(self) -> bool:
        return gap_warning(self.target, self.active_gap, low=self.gap_band[0], high=self.gap_band[1])


def compute_plan(
    rows: Iterable[tuple[int, date, Decimal]],
    *,
    months: list[date],
    target: Decimal,
    one_off_share: Decimal = N.ONE_OFF_SHARE_MIN,
    active_existing_share: Decimal = N.EXISTING_SHARE_MIN,
    numbers: PlanNumbers = PlanNumbers(),  # noqa: B008 - frozen, so one shared default is safe
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
        if is_regular(bought, min_months=numbers.regular_min_months):
            total = to_money(sum(amounts, ZERO))
            lines.append(
                LineFigures(
                    client_id=client_id,
                    monthly=tuple(to_money(a) for a in amounts),
                    months_with_purchases=bought,
                    window_total=total,
                    plan=money_div(max(total, ZERO), numbers.window_months),
                )
            )
    lines.sort(key=lambda line: (-line.plan, line.client_id))
    target = to_money(target)
    regular = sum((line.plan for line in lines), ZERO)
    average = money_div(max(window_total, ZERO), numbers.window_months)
    one_off = money_mul(max(average - regular, ZERO), one_off_share)
    gap = target - regular - one_off
    # s = 2/3 gives E = G x 2/3 rounded to kopecks once (DOMAIN.md section 4), not G x 0.6667.
    existing = money_share(gap, active_existing_share) if gap > 0 else ZERO
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
        cross_sell_cover=money_mul(existing, numbers.cross_sell_cover),
        lines=tuple(lines),
        gap_band=(numbers.gap_band_min, numbers.gap_band_max),
    )


def window_average(rows: Iterable[tuple[int, date, Decimal]], *, numbers: PlanNumbers = PlanNumbers()) -> Decimal:  # noqa: B008
    """A of DOMAIN.md section 4 alone (what `compute_plan(...).average_monthly` gives), without the lines: the
    window's turnover over the window's months, never below zero."""
    window_total = to_money(sum((Decimal(amount) for _client, _month, amount in rows), ZERO))
    return money_div(max(window_total, ZERO), numbers.window_months)


def draft_target(*, previous_target: Decimal | None, average_monthly: Decimal) -> Decimal:
    """The nightly draft's T: last month's approved target, else A rounded half-up to whole thousands of roubles."""
    if previous_target is not None:
        return to_money(previous_target)
    return to_money((Decimal(average_monthly) / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000)
