"""Pay a manager can compute in 20 seconds (DOMAIN.md section 5), on plain numbers: fixed + soft part + bonus,
the thresholds, the month's outlook and the checks of a scheme.

No ORM here; the head's writes are in planning/services/pay.py, whose docstring states the rule in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from itertools import pairwise
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.calendar import RUSSIA, WorkCalendar, month_bounds
from core.money import KOPECK, money_div, to_money
from crm.rules import numbers as N

HUNDRED = Decimal(100)


DEFAULT_THRESHOLDS: Sequence[tuple[int, Decimal]] = (
    (80, Decimal("3.00")),
    (90, Decimal("4.00")),
    (100, Decimal("5.00")),
)


@dataclass(frozen=True)
class Threshold:
    percent: int
    rate: Decimal  # per cent of the month's paid sales


@dataclass(frozen=True)
class KpiLine:
    name: str
    weight: int  # per cent of the soft part
    achieved: int | None  # 0-100 per cent; None while the head has not entered it (counts as 0)

    @property
    def contribution(self) -> Decimal:
        """Weight x achieved / 100: the points of the soft part's 100 this KPI brings."""
        return Decimal(self.weight * (self.achieved or 0)) / HUNDRED


@dataclass(frozen=True)
class Pay:
    """One month's pay at a given fact: fixed + soft part + bonus = total."""

    fact: Decimal
    target: Decimal | None
    fulfilment: Decimal | None  # per cent, rounded DOWN to 0.01 for display; None without a target
    threshold: Threshold | None  # the highest reached
    fixed: Decimal
    soft_part: Decimal
    bonus: Decimal
    total: Decimal


def to_money_up(value: Decimal) -> Decimal:
    """A minimum to reach, rounded up to the kopeck."""
    return value.quantize(KOPECK, rounding=ROUND_CEILING)


def fulfilment_percent(fact: Decimal, target: Decimal | None) -> Decimal | None:
    """Fact / target in per cent to 0.01, rounded down (79.999 shows 79.99, never 80.00); None without a target."""
    if target is None or target <= 0:
        return None
    return (Decimal(fact) * HUNDRED / Decimal(target)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def reached_threshold(fact: Decimal, target: Decimal | None, thresholds: Sequence[Threshold]) -> Threshold | None:
    """The highest threshold with fact x 100 >= target x per cent; None without a target or below the lowest."""
    if target is None or target <= 0:
        return None
    reached = [t for t in thresholds if Decimal(fact) * HUNDRED >= Decimal(target) * t.percent]
    return max(reached, key=lambda t: t.percent, default=None)


def soft_part(soft: Decimal, kpis: Sequence[KpiLine]) -> Decimal:
    """soft x sum(weight x achieved) / 10 000, half-up to the kopeck."""
    points = sum((Decimal(k.weight * (k.achieved or 0)) for k in kpis), Decimal(0))
    return money_div(Decimal(soft) * points, 10000)


def bonus_for(fact: Decimal, threshold: Threshold | None) -> Decimal:
    """The reached threshold's rate x the whole fact; nothing below the lowest threshold or on a negative fact."""
    if threshold is None or fact <= 0:
        return Decimal("0.00")
    return money_div(Decimal(fact) * threshold.rate, 100)


def pay_for(
    *,
    fact: Decimal,
    target: Decimal | None,
    fixed: Decimal,
    soft: Decimal,
    kpis: Sequence[KpiLine],
    thresholds: Sequence[Threshold],
) -> Pay:
    """The month's pay at `fact` sales against `target` (None when there is no plan: no bonus, no division)."""
    threshold = reached_threshold(fact, target, thresholds)
    fixed_part, soft_amount, bonus = to_money(fixed), soft_part(soft, kpis), bonus_for(fact, threshold)
    return Pay(
        fact=to_money(fact),
        target=target,
        fulfilment=fulfilment_percent(fact, target),
        threshold=threshold,
        fixed=fixed_part,
        soft_part=soft_amount,
        bonus=bonus,
        total=fixed_part + soft_amount + bonus,
    )


class SchemeTerms(TypedDict):
    """A pay scheme's terms as `pay_for` takes them, spread into it as `**terms`."""

    fixed: Decimal
    soft: Decimal
    kpis: Sequence[KpiLine]
    thresholds: Sequence[Threshold]


@dataclass(frozen=True)
class NextThreshold:
    threshold: Threshold
    sales_at_threshold: Decimal  # target x per cent, rounded up
    still_needed: Decimal  # sales_at_threshold - fact so far
    per_remaining_day: Decimal | None  # None when no working day is left
    pay: Pay  # the pay when exactly sales_at_threshold is sold


@dataclass(frozen=True)
class PayOutlook:
    """Earned so far, the month-end forecast, and what the next threshold takes, on a given day of the month."""

    month: date
    today: date
    days_in_month: int  # working days, Mon-Fri
    days_passed: int  # today counts as passed: its paid sales are in the fact so far
    days_left: int
    earned: Pay
    forecast: Pay
    forecast_fact: Decimal
    next_threshold: NextThreshold | None
    kpis: tuple[KpiLine, ...] = field(default_factory=tuple)


def pay_outlook(
    *,
    month: date,
    today: date,
    fact_so_far: Decimal,
    target: Decimal | None,
    fixed: Decimal,
    soft: Decimal,
    kpis: Sequence[KpiLine],
    thresholds: Sequence[Threshold],
    calendar: WorkCalendar = RUSSIA,
) -> PayOutlook:
    """The 20-second view: earned at the fact so far, the forecast at the current pace, the next threshold.

    The pace counts working days of `calendar` (the production calendar with the head's corrections).
    """
    first, last = month_bounds(month)
    in_month = calendar.working_days_between(first, last)
    passed = calendar.working_days_between(first, min(today, last))
    left = in_month - passed
    scheme: SchemeTerms = {"fixed": fixed, "soft": soft, "kpis": kpis, "thresholds": thresholds}
    earned = pay_for(fact=fact_so_far, target=target, **scheme)
    # Before the first working day there is no pace to extrapolate: the forecast is the fact so far.
    forecast_fact = money_div(Decimal(fact_so_far) * in_month, passed) if passed else to_money(fact_so_far)
    forecast = pay_for(fact=forecast_fact, target=target, **scheme)
    next_threshold = None
    if target is not None and target > 0:
        above = [t for t in thresholds if Decimal(fact_so_far) * HUNDRED < Decimal(target) * t.percent]
        if above:
            step = min(above, key=lambda t: t.percent)
            at = to_money_up(Decimal(target) * step.percent / HUNDRED)
            needed = at - to_money(fact_so_far)
            next_threshold = NextThreshold(
                threshold=step,
                sales_at_threshold=at,
                still_needed=needed,
                per_remaining_day=to_money_up(needed / left) if left else None,
                pay=pay_for(fact=at, target=target, **scheme),
            )
    return PayOutlook(
        month=first,
        today=today,
        days_in_month=in_month,
        days_passed=passed,
        days_left=left,
        earned=earned,
        forecast=forecast,
        forecast_fact=forecast_fact,
        next_threshold=next_threshold,
        kpis=tuple(kpis),
    )


@dataclass(frozen=True)
class PayLimits:
    """How many KPIs and thresholds a scheme may have: the head's settings (defaults in crm/rules/numbers.py)."""

    kpis_min: int = N.KPIS_MIN
    kpis_max: int = N.KPIS_MAX
    thresholds_max: int = N.THRESHOLDS_MAX


DEFAULT_LIMITS = PayLimits()


@dataclass(frozen=True)
class KpiInput:
    name: str
    weight: int
    id: int | None = None


def validate_kpis(kpis: Sequence[KpiInput], limits: PayLimits = DEFAULT_LIMITS) -> None:
    """0-5 KPIs (the limits), each named once, weights of 1-100 summing to 100."""
    errors: list[str] = []
    if not limits.kpis_min <= len(kpis) <= limits.kpis_max:
        errors.append(
            _("A pay scheme has from %(min)d to %(max)d KPIs; this one has %(n)d.")
            % {"min": limits.kpis_min, "max": limits.kpis_max, "n": len(kpis)}
        )
    names = [k.name.strip().casefold() for k in kpis]
    if any(not n for n in names):
        errors.append(_("Every KPI needs a name."))
    elif len(set(names)) != len(names):
        errors.append(_("Two KPIs have the same name."))
    if any(not 1 <= k.weight <= 100 for k in kpis):
        errors.append(_("A KPI weight is from 1 to 100 per cent."))
    total = sum(k.weight for k in kpis)
    if kpis and total != 100:
        errors.append(_("The KPI weights add up to %(total)d per cent; they must add up to 100.") % {"total": total})
    if errors:
        raise ValidationError({"kpis": errors})


def validate_thresholds(thresholds: Sequence[Threshold], limits: PayLimits = DEFAULT_LIMITS) -> None:
    """1-5 (the limits) thresholds of 1-300 per cent of plan, ascending, each with a higher rate (0-100 per cent)."""
    errors: list[str] = []
    if not 1 <= len(thresholds) <= limits.thresholds_max:
        errors.append(_("A pay scheme has from 1 to %(max)d bonus thresholds.") % {"max": limits.thresholds_max})
    if any(not 1 <= t.percent <= 300 for t in thresholds):
        errors.append(_("A threshold is from 1 to 300 per cent of plan."))
    if any(not Decimal(0) < t.rate <= HUNDRED for t in thresholds):
        errors.append(_("A bonus rate is above 0 and at most 100 per cent of sales."))
    pairs = list(pairwise(thresholds))
    if any(b.percent <= a.percent for a, b in pairs):
        errors.append(_("Thresholds must go up: each one higher than the one before (for example 80, 90, 100)."))
    elif any(b.rate <= a.rate for a, b in pairs):
        errors.append(_("Bonus rates must go up with the thresholds: a higher threshold pays a higher rate."))
    if errors:
        raise ValidationError({"thresholds": errors})


def validate_scheme(
    *,
    fixed: Decimal,
    soft: Decimal,
    kpis: Sequence[KpiInput],
    thresholds: Sequence[Threshold],
    limits: PayLimits = DEFAULT_LIMITS,
) -> None:
    """Every rule at once, so a form shows every mistake in one go."""
    errors: dict[str, list[str]] = {}
    if fixed < 0:
        errors["fixed"] = [_("The fixed salary cannot be negative.")]
    if soft < 0:
        errors["soft"] = [_("The soft part cannot be negative.")]
    elif soft > 0 and not kpis:
        # The soft part is earned by the KPIs: without one it could never be paid.
        errors["soft"] = [_("A soft part needs at least one KPI (or set it to 0).")]
    try:
        validate_kpis(kpis, limits)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_thresholds(thresholds, limits)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
