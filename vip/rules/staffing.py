"""How many people the programme needs for a campaign (DOMAIN.md section 6, seed 002): pure arithmetic, returned
with its lines so the page can show how it was computed.

- Meetings a client needs in the campaign: its tier's meetings a year (monthly 12, quarterly 4, yearly 1) times the
  campaign's share of the year (weeks / 52), **rounded up, and at least 1**: a campaign is a full pass, every client
  is met in it at least once.
- A person does his quota a week (dedicated 15, part-time 5) for the campaign's weeks.
- People needed = meetings / (quota x weeks), rounded up, in dedicated and in part-time equivalents.
- The assigned staff's capacity = (dedicated x 15 + part-time x 5) x weeks; the gap is the meetings beyond it, in
  people (dedicated or part-time, rounded up); a negative gap is spare capacity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from vip.rules.frequency import MONTHLY, QUARTERLY, YEARLY

MEETINGS_A_YEAR = {MONTHLY: 12, QUARTERLY: 4, YEARLY: 1}
WEEKS_A_YEAR = 52


@dataclass(frozen=True)
class Step:
    """One line of the arithmetic: what it is, the sum written out, and its result."""

    label: str
    expression: str
    result: int


@dataclass
class Staffing:
    weeks: int
    meetings: int
    capacity: int
    dedicated_needed: int
    part_time_needed: int
    dedicated_assigned: int
    part_time_assigned: int
    shortfall: int  # meetings beyond the assigned capacity (negative: spare)
    dedicated_gap: int  # people to add if dedicated (0 when there is no shortfall)
    part_time_gap: int
    lines: list[Step] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = {k: v for k, v in self.__dict__.items() if k != "lines"}
        data["lines"] = [step.__dict__ for step in self.lines]
        return data


def meetings_per_client(tier: str, weeks: int) -> int:
    """Meetings one client of the tier needs in a campaign of `weeks` weeks: rounded up, at least one."""
    return max(1, math.ceil(Fraction(MEETINGS_A_YEAR[tier] * weeks, WEEKS_A_YEAR)))


def _people(meetings: int, quota: int, weeks: int) -> int:
    return math.ceil(Fraction(max(meetings, 0), quota * weeks)) if quota and weeks else 0


def staffing(
    *,
    tier_counts: dict[str, int],
    weeks: int,
    dedicated: int,
    part_time: int,
    quota_dedicated: int = 15,
    quota_part_time: int = 5,
) -> Staffing:
    """The people the campaign needs against the staff assigned to it (`dedicated`, `part_time` people)."""
    lines: list[Step] = []
    meetings = 0
    for tier in (MONTHLY, QUARTERLY, YEARLY):
        count = tier_counts.get(tier, 0)
        each = meetings_per_client(tier, weeks)
        meetings += count * each
        lines.append(
            Step(
                label=_("Meetings with %(tier)s clients (clients × meetings each)") % {"tier": tier_label(tier)},
                expression=_("%(count)s × %(each)s (⌈%(a_year)s × %(weeks)s / 52⌉, at least 1)")
                % {"count": count, "each": each, "a_year": MEETINGS_A_YEAR[tier], "weeks": weeks},
                result=count * each,
            )
        )
    lines.append(
        Step(label=_("Meetings in the campaign"), expression=" + ".join(str(s.result) for s in lines), result=meetings)
    )
    dedicated_needed = _people(meetings, quota_dedicated, weeks)
    part_time_needed = _people(meetings, quota_part_time, weeks)
    lines.append(
        Step(
            label=_("Dedicated people needed"),
            expression=f"⌈{meetings} / ({quota_dedicated} × {weeks})⌉",
            result=dedicated_needed,
        )
    )
    lines.append(
        Step(
            label=_("Or part-time people needed"),
            expression=f"⌈{meetings} / ({quota_part_time} × {weeks})⌉",
            result=part_time_needed,
        )
    )
    capacity = (dedicated * quota_dedicated + part_time * quota_part_time) * weeks
    lines.append(
        Step(
            label=_("Capacity of the staff assigned"),
            expression=f"({dedicated} × {quota_dedicated} + {part_time} × {quota_part_time}) × {weeks}",
            result=capacity,
        )
    )
    shortfall = meetings - capacity
    lines.append(Step(label=_("Meetings beyond the capacity"), expression=f"{meetings} − {capacity}", result=shortfall))
    dedicated_gap = _people(shortfall, quota_dedicated, weeks)
    part_time_gap = _people(shortfall, quota_part_time, weeks)
    lines.append(
        Step(
            label=_("Missing: dedicated people"),
            expression=f"⌈{max(shortfall, 0)} / ({quota_dedicated} × {weeks})⌉",
            result=dedicated_gap,
        )
    )
    lines.append(
        Step(
            label=_("Or missing: part-time people"),
            expression=f"⌈{max(shortfall, 0)} / ({quota_part_time} × {weeks})⌉",
            result=part_time_gap,
        )
    )
    return Staffing(
        weeks=weeks,
        meetings=meetings,
        capacity=capacity,
        dedicated_needed=dedicated_needed,
        part_time_needed=part_time_needed,
        dedicated_assigned=dedicated,
        part_time_assigned=part_time,
        shortfall=shortfall,
        dedicated_gap=dedicated_gap,
        part_time_gap=part_time_gap,
        lines=lines,
    )


def tier_label(tier: str) -> str:
    return {MONTHLY: _("monthly"), QUARTERLY: _("quarterly"), YEARLY: _("yearly")}[tier]
