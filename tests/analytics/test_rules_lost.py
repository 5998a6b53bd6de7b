"""When a client was lost (analytics/rules/lost.py): a purchase in month m and none in m+1 .. m+N is a loss in m+N+1."""

from decimal import Decimal

import pytest

from analytics.rules.lost import loss_months, reason_label, trend

JAN_2026 = 2026 * 12  # the index of January 2026


@pytest.mark.parametrize(
    ("bought", "lost"),
    [
        ([], []),
        ([0], [6]),  # January, then nothing: lost in July (5 quiet months Feb-Jun)
        ([0, 5], [11]),  # a purchase in June: the window restarts, lost in December
        ([0, 6], [6]),  # lost in July though it bought in July (won back); its next loss is after the window
        ([0, 6, 7], [6]),
        ([0, 1, 2, 3], [9]),
        ([0, 2, 4, 6, 8, 10], []),  # never 5 quiet months, and the last is too recent
        ([-3], [3]),  # October 2025 -> April 2026
        ([-20], []),  # lost before the window
        ([7], []),  # lost after it (February 2027)
    ],
)
def test_loss_months(bought, lost):
    found = loss_months([JAN_2026 + m for m in bought], months=5, first=JAN_2026, last=JAN_2026 + 11)
    assert found == [JAN_2026 + m for m in lost]


def test_the_lost_client_months_are_a_setting():
    assert loss_months([JAN_2026], months=3, first=JAN_2026, last=JAN_2026 + 11) == [JAN_2026 + 4]


@pytest.mark.parametrize(
    ("counts", "slope"),
    [
        ([1, 2, 3, 4], "1.0"),
        ([5, 5, 5, 5], "0.0"),
        ([4, 3, 2, 1], "-1.0"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11], "0.4"),
        ([7], "0"),
    ],
)
def test_the_trend_is_the_least_squares_slope(counts, slope):
    assert trend(counts) == Decimal(slope)


@pytest.mark.parametrize(
    ("text", "label"),
    [("  дорого\nвзяли у конкурента", "Дорого"), ("", ""), ("x" * 100, "X" + "x" * 79)],
)
def test_reason_label(text, label):
    assert reason_label(text) == label
