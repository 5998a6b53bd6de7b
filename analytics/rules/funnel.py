"""The sales funnel (DOMAIN.md sections 2 and 7, seed 003 #1) as arithmetic: numbers in, numbers out.

- a stage's count is the deals that reached it; its % of the previous stage and of the first stage;
- time in a stage is the days between entering it and leaving it (median and 75th percentile, interpolated as
  PostgreSQL's `percentile_cont`, so the SQL and this module agree);
- conversion = won deals / all closed deals (won + lost) [003 #1, step 2];
- the stage that loses the most is the one most deals were *lost from* (their `lost_from_stage`): that is where the
  manager marked the refusal and its reason, while a drop between two bars also counts deals still in progress;
- the purchase funnel: of the clients whose first purchase fell in the period, how many made a 2nd, a 3rd.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DAY_SECONDS = 86400
PURCHASES = (1, 2, 3)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in %, one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def quantile(values: Sequence[float], q: float) -> float | None:
    """The `q` quantile with linear interpolation between the two nearest values (`percentile_cont`)."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def days(seconds: float | None) -> Decimal | None:
    return None if seconds is None else (Decimal(seconds) / DAY_SECONDS).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Durations:
    """Completed stays in one stage (or whole cycles), in seconds."""

    count: int = 0
    median: float | None = None
    p75: float | None = None
    mean: float | None = None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Durations:
        if not seconds:
            return cls()
        return cls(len(seconds), quantile(seconds, 0.5), quantile(seconds, 0.75), sum(seconds) / len(seconds))

    @property
    def median_days(self) -> Decimal | None:
        return days(self.median)

    @property
    def p75_days(self) -> Decimal | None:
        return days(self.p75)

    @property
    def mean_days(self) -> Decimal | None:
        return days(self.mean)


@dataclass(frozen=True)
class StageRow:
    number: int
    code: str
    count: int
    amount: Decimal
    of_previous: Decimal | None
    of_first: Decimal | None
    durations: Durations
    lost: int
    worst: bool = False

    @property
    def average(self) -> Decimal | None:
        return (self.amount / self.count).quantize(Decimal("0.01")) if self.count else None


@dataclass(frozen=True)
class Funnel:
    stages: list[StageRow]
    won: int
    lost: int
    won_amount: Decimal
    cycle: Durations
    worst_stage: str | None
    worst_reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def conversion(self) -> Decimal | None:
        return conversion(self.won, self.lost)

    @property
    def average_won(self) -> Decimal | None:
        return (self.won_amount / self.won).quantize(Decimal("0.01")) if self.won else None

    @property
    def first(self) -> int:
        return self.stages[0].count if self.stages else 0


def conversion(won: int, lost: int) -> Decimal | None:
    """Won / all closed, in %: None while nothing is closed."""
    return percent(won, won + lost)


def cumulative_reached(highest: Mapping[int, tuple[int, Decimal]], stages: int) -> list[tuple[int, Decimal]]:
    """From "deals whose highest stage is n" to "deals that reached stage k" (every deal with highest >= k)."""
    result: list[tuple[int, Decimal]] = []
    count, amount = 0, Decimal("0")
    for number in range(stages, 0, -1):
        got = highest.get(number, (0, Decimal("0")))
        count, amount = count + got[0], amount + got[1]
        result.append((count, amount))
    return result[::-1]


def worst_stage(lost_by_stage: Mapping[str, int], order: Sequence[str]) -> str | None:
    """The stage most deals were lost from; on a tie the earlier stage (it is fixed first)."""
    best: str | None = None
    most = 0
    for code in order:
        if lost_by_stage.get(code, 0) > most:
            best, most = code, lost_by_stage[code]
    return best


def funnel_build(
    *,
    order: Sequence[str],
    reached: Mapping[str, tuple[int, Decimal]],
    durations: Mapping[str, Durations],
    lost_reasons: Iterable[tuple[str, str, int]],
    won: int,
    lost: int,
    won_amount: Decimal,
    cycle: Durations,
) -> Funnel:
    """The rows of the funnel in the fixed stage order, the percentages and the stage that loses the most.

    `reached` gives per stage (count, sum of amounts); `lost_reasons` (stage lost from, reason, deals)."""
    lost_by_stage: dict[str, int] = {}
    reasons: dict[str, dict[str, int]] = {}
    for stage, reason, count in lost_reasons:
        lost_by_stage[stage] = lost_by_stage.get(stage, 0) + count
        reasons.setdefault(stage, {})[reason] = reasons.get(stage, {}).get(reason, 0) + count
    worst = worst_stage(lost_by_stage, order)
    rows: list[StageRow] = []
    first = reached.get(order[0], (0, Decimal("0")))[0] if order else 0
    previous: int | None = None
    for number, code in enumerate(order, start=1):
        count, amount = reached.get(code, (0, Decimal("0")))
        rows.append(
            StageRow(
                number=number,
                code=code,
                count=count,
                amount=amount,
                of_previous=percent(count, previous) if previous is not None else None,
                of_first=percent(count, first),
                durations=durations.get(code, Durations()),
                lost=lost_by_stage.get(code, 0),
                worst=code == worst,
            )
        )
        previous = count
    worst_reasons = sorted(reasons.get(worst, {}).items(), key=lambda item: (-item[1], item[0])) if worst else []
    return Funnel(
        stages=rows,
        won=won,
        lost=lost,
        won_amount=won_amount,
        cycle=cycle,
        worst_stage=worst,
        worst_reasons=worst_reasons,
    )


@dataclass(frozen=True)
class PurchaseStep:
    number: int  # 1st, 2nd, 3rd purchase
    clients: int
    of_previous: Decimal | None
    of_first: Decimal | None


def purchase_funnel(purchases_per_client: Mapping[int, int]) -> list[PurchaseStep]:
    """From "clients with n purchases" (n >= 1) to the 1st, 2nd, 3rd purchase steps: step k counts the clients with
    at least k purchases."""
    steps: list[PurchaseStep] = []
    first = sum(purchases_per_client.values())
    previous: int | None = None
    for number in PURCHASES:
        clients = sum(count for made, count in purchases_per_client.items() if made >= number)
        steps.append(
            PurchaseStep(
                number=number,
                clients=clients,
                of_previous=percent(clients, previous) if previous is not None else None,
                of_first=percent(clients, first),
            )
        )
        previous = clients
    return steps


def stays_of(changes: Iterable[tuple[int, str, float]], *, until: float) -> list[tuple[str, float, float]]:
    """The completed stays (stage, entered, left) from stage changes (deal, stage entered, at) sorted by deal and
    time; the last stay of each deal is still going on and is left out (it is not a time in the stage yet)."""
    stays: list[tuple[str, float, float]] = []
    previous: tuple[int, str, float] | None = None
    for change in changes:
        if previous is not None and previous[0] == change[0] and change[2] <= until:
            stays.append((previous[1], previous[2], change[2]))
        previous = change
    return stays
