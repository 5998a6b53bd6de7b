"""NPS arithmetic with tables of numbers: groups, NPS, bands, revenue weighting, response rate, revenue share."""

from decimal import Decimal as D

import pytest

from analytics.rules.nps import (
    Counts,
    band_of,
    counts_of,
    group_of,
    response_rate,
    revenue_share,
    weighted_nps,
)


@pytest.mark.parametrize(
    ("score", "group"),
    [(0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"), (9, "promoter"), (10, "promoter")],
)
def test_groups(score, group):
    assert group_of(score) == group


@pytest.mark.parametrize("score", [-1, 11])
def test_a_score_outside_0_10_is_refused(score):
    with pytest.raises(ValueError):
        group_of(score)


@pytest.mark.parametrize(
    ("scores", "promoters", "passives", "detractors", "nps"),
    [
        ([10, 9, 9, 8, 7, 6, 3, 0, 10, 10], 5, 2, 3, D("20.0")),  # 50 % - 30 %
        ([10, 10, 10], 3, 0, 0, D("100.0")),
        ([0, 1, 6], 0, 0, 3, D("-100.0")),
        ([7, 8, 8], 0, 3, 0, D("0.0")),
        ([9, 8, 6], 1, 1, 1, D("0.0")),
        ([9, 9, 7], 2, 1, 0, D("66.7")),  # 2/3 = 66.666... rounds half up to 66.7
        ([9, 6, 6], 1, 0, 2, D("-33.3")),
        ([], 0, 0, 0, None),
    ],
)
def test_nps_is_promoters_share_minus_detractors_share(scores, promoters, passives, detractors, nps):
    counts = counts_of(scores)
    assert (counts.promoters, counts.passives, counts.detractors, counts.answers) == (
        promoters,
        passives,
        detractors,
        len(scores),
    )
    assert counts.nps == nps


def test_shares_and_sums():
    total = Counts(5, 2, 3) + Counts(1, 0, 1)
    assert total == Counts(6, 2, 4)
    assert (total.promoters_pct, total.passives_pct, total.detractors_pct, total.nps) == (
        D("50.0"),
        D("16.7"),
        D("33.3"),
        D("16.7"),
    )


@pytest.mark.parametrize(
    ("nps", "band"),
    [
        (D("-100"), "negative"),
        (D("-0.1"), "negative"),
        (D("0"), "low"),
        (D("5"), "low"),
        (D("10"), "low"),
        (D("29.9"), "low"),
        (D("30"), "good"),
        (D("45"), "good"),
        (D("49.9"), "good"),
        (D("50"), "leader"),
        (D("80"), "leader"),
        (D("100"), "leader"),
        (None, None),
    ],
)
def test_bands(nps, band):
    assert band_of(nps) == band


@pytest.mark.parametrize(
    ("clients", "expected"),
    [
        # A big client with NPS +100 (1 promoter) and a small one with -100 (1 detractor): 900 / 1000 weights.
        ([(Counts(1, 0, 0), D("900000")), (Counts(0, 0, 1), D("100000"))], D("80.0")),
        # Equal revenue: the average of the clients' NPS (+50 and 0).
        ([(Counts(1, 1, 0), D("500")), (Counts(1, 0, 1), D("500"))], D("25.0")),
        # A client without revenue or without answers does not weigh.
        ([(Counts(1, 0, 0), D("100")), (Counts(0, 0, 5), D("0")), (Counts(), D("1000"))], D("100.0")),
        ([(Counts(0, 0, 1), D("0"))], None),
        ([], None),
    ],
)
def test_weighted_by_revenue(clients, expected):
    assert weighted_nps(clients) == expected


@pytest.mark.parametrize(
    ("answered", "sent", "rate"), [(3, 10, D("30.0")), (0, 5, D("0.0")), (2, 3, D("66.7")), (0, 0, None)]
)
def test_response_rate(answered, sent, rate):
    assert response_rate(answered, sent) == rate


@pytest.mark.parametrize(
    ("answered", "total", "share"),
    [(D("750000"), D("1000000"), D("75.0")), (D("0"), D("10"), D("0.0")), (D("0"), D("0"), None)],
)
def test_revenue_share(answered, total, share):
    assert revenue_share(answered, total) == share
