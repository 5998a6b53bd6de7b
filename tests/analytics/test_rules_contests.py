"""The contest rules with tables of numbers: the ranking by % of the own quota, ties, no quota; statuses; the plan
quota of a period (analytics/rules/contests.py)."""

from datetime import date
from decimal import Decimal as D

import pytest

from analytics.rules.contests import Entry, Status, contest_status, months_of, percent_of, plan_quota, rank


def board(rows):
    """(name, achieved, quota) -> [(position, name, percent)]"""
    entries = [
        Entry(key=i, name=name, achieved=D(a), quota=None if q is None else D(q)) for i, (name, a, q) in enumerate(rows)
    ]
    return [(r.position, r.entry.name, r.percent) for r in rank(entries)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # By % of each one's own quota, not by the absolute value: 80 of 50 beats 150 of 200.
        (
            [("Алексеев", "150", "200"), ("Борисов", "80", "50"), ("Васильев", "100", "100")],
            [(1, "Борисов", D("160.00")), (2, "Васильев", D("100.00")), (3, "Алексеев", D("75.00"))],
        ),
        # A tie in percent goes to the larger achieved value.
        (
            [("Алексеев", "50", "50"), ("Борисов", "200", "200"), ("Васильев", "10", "20")],
            [(1, "Борисов", D("100.00")), (2, "Алексеев", D("100.00")), (3, "Васильев", D("50.00"))],
        ),
        # The same percent and value: by name.
        (
            [("Яковлев", "30", "60"), ("Андреев", "30", "60")],
            [(1, "Андреев", D("50.00")), (2, "Яковлев", D("50.00"))],
        ),
        # No quota (0 or none) ranks last whatever he achieved, among themselves by the value: "нет квоты".
        (
            [("Алексеев", "1000000", "0"), ("Борисов", "1", "100"), ("Васильев", "5", None), ("Гусев", "0", "10")],
            [(1, "Борисов", D("1.00")), (2, "Гусев", D("0.00")), (3, "Алексеев", None), (4, "Васильев", None)],
        ),
        # Rounding half up to 0.01 %.
        ([("А", "1", "3"), ("Б", "2", "3")], [(1, "Б", D("66.67")), (2, "А", D("33.33"))]),
        ([], []),
    ],
)
def test_the_ranking(rows, expected):
    assert board(rows) == expected


@pytest.mark.parametrize(
    ("achieved", "quota", "percent"),
    [("0", "100", D("0.00")), ("125000", "100000", D("125.00")), ("5", "0", None), ("5", None, None)],
)
def test_percent_of(achieved, quota, percent):
    assert percent_of(D(achieved), None if quota is None else D(quota)) == percent


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 10, 31), Status.DRAFT),
        (date(2026, 11, 1), Status.RUNNING),
        (date(2026, 11, 30), Status.RUNNING),
        (date(2026, 12, 1), Status.FINISHED),
    ],
)
def test_the_status_follows_the_dates(as_of, status):
    assert contest_status(start=date(2026, 11, 1), end=date(2026, 11, 30), as_of=as_of) == status


NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


@pytest.mark.parametrize(
    ("start", "end", "targets", "quota"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), {NOV: "300000"}, D("300000.00")),  # the whole month
        (date(2026, 11, 1), date(2026, 11, 15), {NOV: "300000"}, D("150000.00")),  # 15 of 30 days
        # 16..30 Nov (15/30 of 300 000) + 1..31 Dec (all of 310 000)
        (date(2026, 11, 16), date(2026, 12, 31), {NOV: "300000", DEC: "310000"}, D("460000.00")),
        (date(2026, 11, 16), date(2026, 12, 31), {DEC: "310000"}, D("310000.00")),  # no plan in November
        (date(2026, 11, 1), date(2026, 11, 30), {}, None),  # no plan at all: no quota
        (date(2026, 11, 1), date(2026, 11, 10), {NOV: "100000"}, D("33333.33")),
    ],
)
def test_the_plan_quota_of_a_period(start, end, targets, quota):
    assert plan_quota(start=start, end=end, targets={m: D(t) for m, t in targets.items()}) == quota


def test_months_of_a_period():
    assert months_of(date(2026, 11, 20), date(2027, 1, 5)) == [NOV, DEC, date(2027, 1, 1)]
