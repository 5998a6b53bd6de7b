"""ABC/XYZ rules with tables of numbers (analytics/rules/abc.py)."""

from decimal import Decimal as D

import pytest

from analytics.rules.abc import (
    ClientMonths,
    Thresholds,
    abc_classes,
    classify,
    cv_percent,
    is_fall,
    xyz_by_cv,
    xyz_by_months,
)


def classes(values, a=D(80), b=D(15)):
    return {cid: klass for cid, (klass, _rank, _share) in abc_classes(values, a_share=a, b_share=b).items()}


def test_abc_the_client_crossing_a_boundary_keeps_the_class_it_starts_in():
    # total 1000: before 1 = 0 % (A), before 2 = 50 % (A), before 3 = 79 % (A, crosses 80 %), before 4 = 88.9 % (B),
    # before 5 = 94.9 % (B, crosses 95 %), before 6 = 98 % (C)
    values = [(1, D(500)), (2, D(290)), (3, D(99)), (4, D(60)), (5, D(31)), (6, D(20))]
    assert classes(values) == {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: "C"}


def test_abc_exactly_at_the_boundary_starts_the_next_class():
    # before 2 is exactly 80 % -> not below 80 % -> B; before 3 exactly 95 % -> C
    values = [(1, D(80)), (2, D(15)), (3, D(5))]
    assert classes(values) == {1: "A", 2: "B", 3: "C"}


def test_abc_ties_are_broken_by_client_id():
    # four equal clients of 25 each: before = 0, 25, 50, 75 % -> all A; with A = 50 %: ids 3, 7 A, 9 B (before 50 %)
    values = [(9, D(25)), (3, D(25)), (7, D(25)), (12, D(25))]
    assert classes(values) == {3: "A", 7: "A", 9: "A", 12: "A"}
    assert classes(values, a=D(50), b=D(25)) == {3: "A", 7: "A", 9: "B", 12: "C"}
    ranks = {cid: rank for cid, (_k, rank, _s) in abc_classes(values, a_share=D(50), b_share=D(25)).items()}
    assert ranks == {3: 1, 7: 2, 9: 3, 12: 4}


def test_abc_zero_and_negative_are_c_and_do_not_count_in_the_total():
    values = [(1, D(100)), (2, D(0)), (3, D(-50))]
    result = abc_classes(values, a_share=D(80), b_share=D(15))
    assert {cid: r[0] for cid, r in result.items()} == {1: "A", 2: "C", 3: "C"}
    assert result[1][2] == D("100.0000")


def test_abc_nothing_bought_is_all_c():
    assert classes([(1, D(0)), (2, D(0))]) == {1: "C", 2: "C"}


@pytest.mark.parametrize(("months", "expected"), [(12, "X"), (9, "X"), (8, "Y"), (3, "Y"), (2, "Z"), (0, "Z")])
def test_xyz_by_months(months, expected):
    assert xyz_by_months(months, x_months=9, y_months=3) == expected


def test_xyz_by_months_with_the_heads_thresholds():
    assert [xyz_by_months(m, x_months=11, y_months=6) for m in (12, 11, 10, 6, 5)] == ["X", "X", "Y", "Y", "Z"]


# 12 amounts, mean 100: CV = population std / mean.
STEADY = [D(100)] * 12  # CV 0
# 6 of 110 and 6 of 90: std 10 -> CV 10 % exactly (X at the boundary)
TEN = [D(110), D(90)] * 6
# 6 of 125, 6 of 75: CV 25 % exactly (Y at the boundary)
TWENTY_FIVE = [D(125), D(75)] * 6
# 6 of 126, 6 of 74: CV 26 % (Z)
TWENTY_SIX = [D(126), D(74)] * 6
ONCE = [D(1200)] + [D(0)] * 11  # CV = sqrt(11) * 100 = 331.66 %


@pytest.mark.parametrize(
    ("monthly", "cv", "expected"),
    [
        (STEADY, D("0.00"), "X"),
        (TEN, D("10.00"), "X"),
        (TWENTY_FIVE, D("25.00"), "Y"),
        (TWENTY_SIX, D("26.00"), "Z"),
        (ONCE, D("331.66"), "Z"),
        ([D(0)] * 12, None, "Z"),
        ([D(100), D(-100)] + [D(0)] * 10, None, "Z"),
    ],
)
def test_xyz_by_coefficient_of_variation(monthly, cv, expected):
    assert cv_percent(monthly) == cv
    assert xyz_by_cv(monthly, cv_x=D(10), cv_y=D(25)) == expected


def test_classify_by_revenue_and_by_margin():
    rows = [
        ClientMonths(1, [D(100)] * 12, margin=D(60)),  # revenue 1200, margin 60, 12 months, CV 0
        ClientMonths(2, [D(0)] * 8 + [D(50)] * 4, margin=D(140)),  # 200, margin 140, 4 months
        ClientMonths(3, [D(100)] + [D(0)] * 11, margin=D(0)),  # 100, margin 0, 1 month
    ]
    by_revenue = {c.client_id: (c.cell, c.rank) for c in classify(rows, Thresholds())}
    # revenue total 1500: before 1 = 0 (A), before 2 = 80 % (B), before 3 = 93.3 % (B)
    assert by_revenue == {1: ("AX", 1), 2: ("BY", 2), 3: ("BZ", 3)}
    by_margin = {c.client_id: (c.cell, c.rank) for c in classify(rows, Thresholds(basis="margin"))}
    # margin total 200: 2 first (0 % -> A), then 1 (70 % -> A), then 3 (margin 0 -> C)
    assert by_margin == {2: ("AY", 1), 1: ("AX", 2), 3: ("CZ", 3)}
    by_cv = {c.client_id: c.cell for c in classify(rows, Thresholds(xyz_method="cv"))}
    assert by_cv == {1: "AX", 2: "BZ", 3: "BZ"}


@pytest.mark.parametrize(
    ("before", "after", "fall"),
    [
        ("AX", "BX", True),
        ("AX", "CZ", True),
        ("AX", "AY", True),
        ("BX", "BZ", True),
        ("AY", "BY", True),
        ("BX", "AX", False),
        ("BY", "CY", False),
        ("CZ", "AX", False),
        ("AY", "AZ", False),
    ],
)
def test_falls(before, after, fall):
    assert is_fall(before, after) is fall
