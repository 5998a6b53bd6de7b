"""Share of wallet (DOMAIN.md section 7), pure: our sales to the client in a category / the client's total."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_YEARLY = Decimal("1e12")


class AmountError(ValueError):
    """The typed amount is not a number of roubles from 0 up to a trillion."""


def parse_yearly_amount(raw: object) -> Decimal:
    """`1 234 567,50` or `1234567.5` -> Decimal('1234567.50'); spaces (also non-breaking) and a trailing ₽ allowed."""
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
    else:
        text = str(raw or "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("₽", "")
        text = text.replace(",", ".")
        if not text:
            raise AmountError("empty")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise AmountError("not a number") from None
    if not value.is_finite() or value < 0 or value >= MAX_YEARLY:
        raise AmountError("out of range")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wallet_share(ours: Decimal, total: Decimal | None) -> int | None:
    """Our share of the client's purchases, whole per cent, half up; None when the total is unknown or zero.
    Above 100 % is kept as is: it means the client's figure is too low."""
    if total is None or total <= 0:
        return None
    return int((Decimal(ours) * 100 / Decimal(total)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
