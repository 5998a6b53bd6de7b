"""Lost clients (DOMAIN.md sections 7 and 8, seed 003 #11), pure: when a client was lost, and the trend.

A client is lost when it has bought nothing for the lost-client months (crm's `new_client_after_months`, 5 by
default): the nightly marks it lost on the first day of the month after those months (crm/nightly.py). So a purchase
in month m followed by no purchase in the months m+1 .. m+N is a loss in month m+N+1. Months are indexes
(year x 12 + month - 1); a client that buys again later was still lost in that month (and is "won back").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal


def loss_months(purchase_months: Iterable[int], *, months: int, first: int, last: int) -> list[int]:
    """The months in `first`..`last` (both included) in which the client was lost, given the months it bought in."""
    bought = sorted(set(purchase_months))
    found = []
    for index, month in enumerate(bought):
        lost_in = month + months + 1
        following = bought[index + 1] if index + 1 < len(bought) else None
        if first <= lost_in <= last and (following is None or following >= lost_in):
            found.append(lost_in)
    return found


def trend(counts: Sequence[int]) -> Decimal:
    """The least-squares slope of the counts over the months, clients a month (1 decimal): > 0 means more losses."""
    n = len(counts)
    if n < 2:
        return Decimal("0")
    mean_x = Decimal(n - 1) / 2
    mean_y = Decimal(sum(counts)) / n
    top = sum(((Decimal(x) - mean_x) * (Decimal(y) - mean_y) for x, y in enumerate(counts)), Decimal(0))
    bottom = sum(((Decimal(x) - mean_x) ** 2 for x in range(n)), Decimal(0))
    return (top / bottom).quantize(Decimal("0.1"), ROUND_HALF_UP)


def reason_label(text: str, *, width: int = 80) -> str:
    """A free-text win-back reason as a group's name: its first line, trimmed, with a capital letter."""
    line = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    line = line[:width].rstrip()
    return line[:1].upper() + line[1:]
