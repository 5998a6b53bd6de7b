"""ABC/XYZ of clients (DOMAIN.md section 7): pure functions, numbers in, classes out.

- ABC ranks the clients by their 12-month revenue (or margin, a setting), largest first, **ties by client id
  ascending**. A client is A when the cumulative share of the clients ranked *before* it is below the A share (80 %),
  B when it is below A + B (95 %), else C: the client that crosses a boundary belongs to the class it starts in.
  The total is the sum of the positive amounts; a client with zero or negative revenue is C.
- XYZ by months with a purchase (a month whose amount is above 0): X at least `x_months` (9), Y at least `y_months`
  (3), Z the rest; or by the coefficient of variation of the 12 monthly amounts (population standard deviation /
  mean, empty months 0): X up to `cv_x` %, Y up to `cv_y` %, Z above, and Z when the mean is not above 0.
  The CV test is exact: with S the sum and Q the sum of squares of the 12 amounts, CV <= T % is
  10 000 * (12 Q - S^2) <= T^2 * S^2, so PostgreSQL's numeric and Python's Decimal agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

MONTHS = 12
ZERO = Decimal(0)
CELLS = [f"{abc}{xyz}" for abc in "ABC" for xyz in "XYZ"]


@dataclass(frozen=True)
class Thresholds:
    basis: str = "revenue"  # or "margin"
    a_share: Decimal = Decimal(80)
    b_share: Decimal = Decimal(15)
    xyz_method: str = "months"  # or "cv"
    x_months: int = 9
    y_months: int = 3
    cv_x: Decimal = Decimal(10)
    cv_y: Decimal = Decimal(25)

    @classmethod
    def of(cls, settings: Any) -> Thresholds:
        """From analytics' AnalyticsSettings."""
        return cls(
            basis=settings.abc_basis,
            a_share=Decimal(settings.abc_a_share),
            b_share=Decimal(settings.abc_b_share),
            xyz_method=settings.xyz_method,
            x_months=settings.xyz_x_months,
            y_months=settings.xyz_y_months,
            cv_x=Decimal(settings.xyz_cv_x),
            cv_y=Decimal(settings.xyz_cv_y),
        )


@dataclass(frozen=True)
class ClientMonths:
    """A client's 12 monthly amounts (oldest first; missing months 0) and its 12-month margin."""

    client_id: int
    monthly: Sequence[Decimal]
    margin: Decimal = ZERO


@dataclass(frozen=True)
class ClientClass:
    client_id: int
    abc: str
    xyz: str
    revenue: Decimal
    margin: Decimal
    months_bought: int
    cv: Decimal | None  # %, 2 decimals; None when the mean is not above 0
    rank: int  # 1 = the largest by the basis
    cumulative_share: Decimal  # % of the total up to and including this client, 4 decimals

    @property
    def cell(self) -> str:
        return self.abc + self.xyz


def abc_classes(values: Iterable[tuple[int, Decimal]], *, a_share: Decimal, b_share: Decimal) -> dict[int, tuple]:
    """(client id, amount) -> {client id: (class, rank, cumulative share %)}; see the module's rule."""
    ranked = sorted(values, key=lambda row: (-row[1], row[0]))
    total = sum((max(value, ZERO) for _id, value in ranked), ZERO)
    out: dict[int, tuple] = {}
    before = ZERO
    for rank, (client_id, value) in enumerate(ranked, start=1):
        if value > 0 and before * 100 < a_share * total:
            klass = "A"
        elif value > 0 and before * 100 < (a_share + b_share) * total:
            klass = "B"
        else:
            klass = "C"
        before += max(value, ZERO)
        share = (before * 100 / total).quantize(Decimal("0.0001"), ROUND_HALF_UP) if total > 0 else ZERO
        out[client_id] = (klass, rank, share)
    return out


def months_bought(monthly: Sequence[Decimal]) -> int:
    return sum(1 for amount in monthly if amount > 0)


def xyz_by_months(months: int, *, x_months: int, y_months: int) -> str:
    return "X" if months >= x_months else "Y" if months >= y_months else "Z"


def _sums(monthly: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    padded = [*monthly, *[ZERO] * (MONTHS - len(monthly))]
    return sum(padded, ZERO), sum((amount * amount for amount in padded), ZERO)


def cv_percent(monthly: Sequence[Decimal]) -> Decimal | None:
    """Population std / mean of the 12 monthly amounts, in %, 2 decimals; None when the mean is not above 0."""
    total, squares = _sums(monthly)
    if total <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 50
        spread = max(MONTHS * squares - total * total, ZERO)
        return (100 * spread.sqrt() / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def cv_within(monthly: Sequence[Decimal], limit: Decimal) -> bool:
    """CV <= limit %, exactly: 10 000 * (12 Q - S^2) <= limit^2 * S^2, and the mean above 0."""
    total, squares = _sums(monthly)
    return total > 0 and 10000 * (MONTHS * squares - total * total) <= limit * limit * total * total


def xyz_by_cv(monthly: Sequence[Decimal], *, cv_x: Decimal, cv_y: Decimal) -> str:
    return "X" if cv_within(monthly, cv_x) else "Y" if cv_within(monthly, cv_y) else "Z"


def classify(rows: Iterable[ClientMonths], thresholds: Thresholds) -> list[ClientClass]:
    """Every client's ABC and XYZ class, ordered by rank."""
    rows = list(rows)
    revenue = {row.client_id: sum(row.monthly, ZERO) for row in rows}
    basis = revenue if thresholds.basis == "revenue" else {row.client_id: row.margin for row in rows}
    abc = abc_classes(basis.items(), a_share=thresholds.a_share, b_share=thresholds.b_share)
    out = []
    for row in rows:
        klass, rank, share = abc[row.client_id]
        months = months_bought(row.monthly)
        if thresholds.xyz_method == "cv":
            xyz = xyz_by_cv(row.monthly, cv_x=thresholds.cv_x, cv_y=thresholds.cv_y)
        else:
            xyz = xyz_by_months(months, x_months=thresholds.x_months, y_months=thresholds.y_months)
        out.append(
            ClientClass(
                client_id=row.client_id,
                abc=klass,
                xyz=xyz,
                revenue=revenue[row.client_id],
                margin=row.margin,
                months_bought=months,
                cv=cv_percent(row.monthly),
                rank=rank,
                cumulative_share=share,
            )
        )
    return sorted(out, key=lambda c: c.rank)


def is_fall(before: str, after: str) -> bool:
    """A fall (issue 13's alert): A to B or C, or X to Y or Z, between two cells such as "AX" -> "BX"."""
    return (before[0] == "A" and after[0] in "BC") or (before[1] == "X" and after[1] in "YZ")
