"""Exact shares: s = 2/3 gives E = G x 2/3 rounded to kopecks once (DOMAIN.md section 4)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from core.money import exact_share, money_share

D = Decimal


@pytest.mark.parametrize(
    ("stored", "exact"),
    [("0.6667", Fraction(2, 3)), ("0.5", Fraction(1, 2)), ("0.6", Fraction(3, 5)), ("0.2", Fraction(1, 5))],
)
def test_a_stored_share_stands_for_its_simple_fraction(stored, exact):
    assert exact_share(stored) == exact


def test_a_share_that_is_no_simple_fraction_stays_as_stored():
    assert exact_share("0.6123") == Fraction(6123, 10000)


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        ("91000", "60666.67"),  # 0.6667 x G would give 60 669.70
        ("100", "66.67"),
        ("0.01", "0.01"),
        ("1234567.89", "823045.26"),
    ],
)
def test_two_thirds_of_any_amount_is_exact_to_the_kopeck(gap, expected):
    assert money_share(D(gap), D("0.6667")) == D(expected)
    assert money_share(D(gap), D("0.6667")) == (D(gap) * 2 / 3).quantize(D("0.01"))
