"""Money is Decimal roubles, rounded to kopecks half-up wherever a rule divides: one helper for all."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

KOPECK = Decimal("0.01")
RUBLE = Decimal("1")
NBSP = "\u00a0"


def to_money(value: Decimal | int | str | float) -> Decimal:
    """Round any amount to kopecks, half-up (0.005 -> 0.01)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def money_div(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """Divide money and round to kopecks half-up."""
    return to_money(Decimal(numerator) / Decimal(denominator))


def money_mul(amount: Decimal | int, factor: Decimal | int | str) -> Decimal:
    """Multiply money by a share and round to kopecks half-up."""
    return to_money(Decimal(amount) * Decimal(factor))


def exact_share(share: Decimal | int | str) -> Fraction:
    """The share a stored decimal stands for: 0.6667 is 2/3, 0.5 is 1/2 (a fraction with a denominator up to 12
    within half a unit of the last stored digit), so that 2/3 of any amount is exact before it is rounded once."""
    value = Decimal(share)
    places = max(-value.as_tuple().exponent, 0)  # type: ignore[operator]
    simple = Fraction(value).limit_denominator(12)
    return simple if abs(Fraction(value) - simple) <= Fraction(1, 2 * 10**places) else Fraction(value)


def money_share(amount: Decimal | int, share: Decimal | int | str) -> Decimal:
    """`amount` x the exact share (2/3, not 0.6667), rounded to kopecks half-up once."""
    fraction = exact_share(share)
    return money_div(Decimal(amount) * fraction.numerator, fraction.denominator)


def format_rub(value: Decimal | int | None, *, kopecks: bool = True) -> str:
    """`1234567.5` -> `1 234 567,50 ₽` (or `1 234 568 ₽` without kopecks, half-up) with non-breaking spaces."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(KOPECK if kopecks else RUBLE, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):.{2 if kopecks else 0}f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)}{',' + frac if kopecks else ''}{NBSP}₽"
