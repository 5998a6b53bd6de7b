"""NPS arithmetic (DOMAIN.md section 7, seed 003 #7): pure functions, numbers in, numbers out.

- promoters 9-10, passives 7-8, detractors 0-6;
- NPS = % promoters - % detractors, from -100 to +100;
- the bands of the seed ("5-10 % low, 45 % not bad, 50-80 % market leaders") with their edges decided here:
  below 0 negative, 0 to under 30 low, 30 to under 50 good, 50 and above market leaders (see docs/analytics.md);
- weighted by revenue: each answering client counts by its 12-month revenue, its contacts' answers sharing its
  weight equally, so weighted NPS = sum(revenue x client NPS) / sum(revenue);
- response rate = answered invitations / sent invitations; revenue share answered = revenue of the clients who
  answered / revenue of all the clients counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PROMOTER_FROM = 9
PASSIVE_FROM = 7

NEGATIVE, LOW, GOOD, LEADER = "negative", "low", "good", "leader"
# (lowest NPS of the band, band); the first whose edge the NPS reaches, from the top.
BANDS: tuple[tuple[Decimal, str], ...] = ((Decimal(50), LEADER), (Decimal(30), GOOD), (Decimal(0), LOW))

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


def group_of(score: int) -> str:
    """'promoter' (9-10), 'passive' (7-8) or 'detractor' (0-6)."""
    if not 0 <= score <= 10:
        raise ValueError(f"an NPS score is 0-10, not {score}")
    if score >= PROMOTER_FROM:
        return "promoter"
    if score >= PASSIVE_FROM:
        return "passive"
    return "detractor"


def is_detractor(score: int) -> bool:
    return group_of(score) == "detractor"


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole in %, one decimal place, half up; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.promoters + other.promoters, self.passives + other.passives, self.detractors + other.detractors
        )

    @property
    def promoters_pct(self) -> Decimal | None:
        return percent(self.promoters, self.answers)

    @property
    def passives_pct(self) -> Decimal | None:
        return percent(self.passives, self.answers)

    @property
    def detractors_pct(self) -> Decimal | None:
        return percent(self.detractors, self.answers)

    @property
    def nps(self) -> Decimal | None:
        """% promoters - % detractors from the exact shares (not the rounded ones), one decimal place."""
        return percent(self.promoters - self.detractors, self.answers)


def counts_of(scores: Iterable[int]) -> Counts:
    groups = [group_of(score) for score in scores]
    return Counts(groups.count("promoter"), groups.count("passive"), groups.count("detractor"))


def band_of(nps: Decimal | None) -> str | None:
    """The band an NPS falls in (module docstring), None without answers."""
    if nps is None:
        return None
    for edge, band in BANDS:
        if nps >= edge:
            return band
    return NEGATIVE


def weighted_nps(clients: Iterable[tuple[Counts, Decimal]]) -> Decimal | None:
    """sum(revenue x client NPS) / sum(revenue) over the clients with answers and revenue above 0; None if none."""
    total = Decimal(0)
    weighted = Decimal(0)
    for counts, revenue in clients:
        if not counts.answers or revenue <= 0:
            continue
        total += revenue
        weighted += revenue * Decimal(counts.promoters - counts.detractors) / Decimal(counts.answers)
    if not total:
        return None
    return (weighted * HUNDRED / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def response_rate(answered: int, sent: int) -> Decimal | None:
    """Answered invitations / sent invitations, %."""
    return percent(answered, sent)


def revenue_share(answered_revenue: Decimal, total_revenue: Decimal) -> Decimal | None:
    """The revenue of the clients who answered / the revenue of all the clients counted, %."""
    return percent(answered_revenue, total_revenue)
