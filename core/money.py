"""Money is Decimal roubles, rounded to kopecks half-up wherever a rule divides: one helper for all."""

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
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


def format_rub(value: Decimal | int | None) -> str:
    """`1234567.5` -> `1 234 567,50 ₽` with non-breaking spaces, as Russian users read money."""
    if value is None:
        return ""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{frac}{NBSP}₽"
