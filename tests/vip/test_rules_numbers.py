"""Tables of numbers, worked by hand: the Pareto tiers, next due dates and staffing (docs/vip.md)."""

from datetime import date
from decimal import Decimal

import pytest

from vip.rules.frequency import is_overdue, monthly_count, next_due, pareto_tiers, revenue_window
from vip.rules.staffing import meetings_per_client, staffing

D = Decimal


@pytest.mark.parametrize(
    ("revenues", "share", "top_n", "top_percent", "expected"),
    [
        # 50 + 30 = 80 of 100 exactly: c starts at 80 % (not below it), so it is not key.
        ([("a", 50), ("b", 30), ("c", 15), ("d", 5)], 80, 1, 0, "MQYY"),
        # 50 + 20 = 70 % before c; c crosses 80 % (to 90 %) and is key; top 5 % of 4 clients = ⌈0.2⌉ = 1 monthly.
        ([("a", 50), ("b", 20), ("c", 20), ("d", 10)], 80, 0, 5, "MQQY"),
        # one client with 90 %: key alone; the top 2 are capped at the key clients.
        ([("a", 90), ("b", 5), ("c", 5)], 80, 2, 0, "MYY"),
        # no revenue at all: every client yearly.
        ([("a", 0), ("b", 0)], 80, 1, 0, "YY"),
        # a client without revenue is never key, even below the boundary.
        ([("a", 40), ("b", 0), ("c", 0)], 80, 0, 0, "QYY"),
        # ten clients of 10: 0..70 % before the first eight -> 8 key; top 20 % = 2 monthly.
        ([(str(n), 10) for n in range(10)], 80, 0, 20, "MMQQQQQQYY"),
        # ties keep the caller's order; share 50: before b is 10 of 20 = 50 %, not below it.
        ([("a", 10), ("b", 10)], 50, 0, 0, "QY"),
        # the order given does not matter: sorted by revenue, largest first.
        ([("d", 5), ("c", 15), ("b", 30), ("a", 50)], 80, 1, 0, "YYQM"),
    ],
)
def test_pareto_tiers(revenues, share, top_n, top_percent, expected):
    tiers = pareto_tiers([(k, D(v)) for k, v in revenues], share=share, top_n=top_n, top_percent=top_percent)
    letters = {"monthly": "M", "quarterly": "Q", "yearly": "Y"}
    assert "".join(letters[tiers[k]] for k, _v in revenues) == expected


@pytest.mark.parametrize(
    ("clients", "top_n", "top_percent", "expected"),
    [(40, 3, 5, 3), (40, 0, 5, 2), (41, 0, 5, 3), (0, 0, 5, 0), (10, 0, 0, 0), (7, 0, 10, 1)],
)
def test_monthly_count(clients, top_n, top_percent, expected):
    assert monthly_count(clients, top_n=top_n, top_percent=top_percent) == expected


@pytest.mark.parametrize(
    ("tier", "last_met", "as_of", "expected"),
    [
        ("monthly", date(2026, 1, 31), date(2026, 3, 1), date(2026, 2, 28)),
        ("quarterly", date(2026, 11, 30), date(2026, 12, 1), date(2027, 2, 28)),
        ("yearly", date(2024, 2, 29), date(2024, 3, 1), date(2025, 2, 28)),
        ("quarterly", date(2026, 6, 10), date(2026, 7, 1), date(2026, 9, 10)),
        ("yearly", None, date(2026, 12, 1), date(2026, 12, 1)),
    ],
)
def test_next_due(tier, last_met, as_of, expected):
    assert next_due(tier, last_met, as_of) == expected


@pytest.mark.parametrize(
    ("due", "as_of", "expected"),
    [
        (date(2026, 5, 31), date(2026, 6, 1), True),
        (date(2026, 6, 1), date(2026, 6, 1), False),
        (None, date(2026, 6, 1), False),
    ],
)
def test_is_overdue(due, as_of, expected):
    assert is_overdue(due, as_of) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 12, 1), (date(2025, 12, 1), date(2026, 11, 30))),
        (date(2026, 1, 15), (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2024, 3, 31), (date(2023, 3, 1), date(2024, 2, 29))),
    ],
)
def test_revenue_window(as_of, expected):
    assert revenue_window(as_of) == expected


@pytest.mark.parametrize(
    ("tier", "weeks", "expected"),
    [
        ("monthly", 13, 3),  # 12 × 13 / 52 = 3
        ("quarterly", 13, 1),  # 4 × 13 / 52 = 1
        ("yearly", 13, 1),  # 0.25, at least 1
        ("monthly", 8, 2),  # 96 / 52 = 1.85 -> 2
        ("quarterly", 26, 2),
        ("quarterly", 14, 2),  # 56 / 52 = 1.08 -> 2
        ("monthly", 52, 12),
        ("yearly", 52, 1),
    ],
)
def test_meetings_per_client(tier, weeks, expected):
    assert meetings_per_client(tier, weeks) == expected


@pytest.mark.parametrize(
    ("tiers", "weeks", "dedicated", "part_time", "expected"),
    [
        # 5×3 + 20×1 + 175×1 = 210; ⌈210/195⌉ = 2 dedicated or ⌈210/65⌉ = 4 part-time;
        # capacity (1×15 + 2×5) × 13 = 325; 210 − 325 = −115: no gap.
        ((5, 20, 175), 13, 1, 2, (210, 2, 4, 325, -115, 0, 0)),
        # 10×3 + 40 + 350 = 420; ⌈420/195⌉ = 3, ⌈420/65⌉ = 7; capacity 20 × 13 = 260; 160 beyond:
        # ⌈160/195⌉ = 1 dedicated or ⌈160/65⌉ = 3 part-time.
        ((10, 40, 350), 13, 1, 1, (420, 3, 7, 260, 160, 1, 3)),
        # exactly one dedicated person's campaign: 195 = 15 × 13; 3 part-time; nobody assigned.
        ((0, 0, 195), 13, 0, 0, (195, 1, 3, 0, 195, 1, 3)),
        # 26 weeks: 4×6 + 10×2 + 100×1 = 144; ⌈144/390⌉ = 1, ⌈144/130⌉ = 2; one part-time: 130; 14 beyond.
        ((4, 10, 100), 26, 0, 1, (144, 1, 2, 130, 14, 1, 1)),
    ],
)
def test_staffing(tiers, weeks, dedicated, part_time, expected):
    result = staffing(
        tier_counts=dict(zip(("monthly", "quarterly", "yearly"), tiers, strict=True)),
        weeks=weeks,
        dedicated=dedicated,
        part_time=part_time,
    )
    got = (
        result.meetings,
        result.dedicated_needed,
        result.part_time_needed,
        result.capacity,
        result.shortfall,
        result.dedicated_gap,
        result.part_time_gap,
    )
    assert got == expected
    assert [step.result for step in result.lines][3] == expected[0]
    assert result.lines[4].expression == f"⌈{expected[0]} / (15 × {weeks})⌉"


def test_staffing_uses_the_quotas_given():
    result = staffing(
        tier_counts={"yearly": 100}, weeks=10, dedicated=0, part_time=0, quota_dedicated=10, quota_part_time=4
    )
    assert (result.dedicated_needed, result.part_time_needed) == (1, 3)  # ⌈100/100⌉, ⌈100/40⌉
