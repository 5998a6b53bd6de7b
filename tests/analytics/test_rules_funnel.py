"""The funnel's arithmetic with tables of numbers: conversion, percentiles of stage durations, the purchase funnel."""

from decimal import Decimal

import pytest

from analytics.rules.funnel import (
    Durations,
    conversion,
    cumulative_reached,
    funnel_build,
    purchase_funnel,
    quantile,
    stays_of,
    worst_stage,
)

D = Decimal


@pytest.mark.parametrize(
    ("won", "lost", "expected"),
    [(3, 1, D("75.0")), (1, 2, D("33.3")), (0, 5, D("0.0")), (7, 0, D("100.0")), (0, 0, None), (2, 1, D("66.7"))],
)
def test_conversion_is_won_over_all_closed(won, lost, expected):
    assert conversion(won, lost) == expected


@pytest.mark.parametrize(
    ("values", "median", "p75"),
    [
        ([4.0], 4.0, 4.0),
        ([1.0, 3.0], 2.0, 2.5),
        ([5.0, 1.0, 3.0], 3.0, 4.0),
        ([1.0, 2.0, 3.0, 4.0], 2.5, 3.25),
        ([10.0, 2.0, 2.0, 8.0, 6.0], 6.0, 8.0),
    ],
)
def test_median_and_75th_percentile_interpolate_like_percentile_cont(values, median, p75):
    assert quantile(values, 0.5) == pytest.approx(median)
    assert quantile(values, 0.75) == pytest.approx(p75)


def test_durations_in_days():
    day = 86400.0
    durations = Durations.of([1 * day, 2 * day, 3 * day, 10 * day])
    assert (durations.count, durations.median_days, durations.p75_days, durations.mean_days) == (
        4,
        D("2.5"),
        D("4.8"),
        D("4.0"),
    )
    assert Durations.of([]).median_days is None


def test_stays_pair_each_change_with_the_next_one_of_the_same_deal():
    changes = [(1, "goal", 0.0), (1, "market", 10.0), (1, "prospect_list", 25.0), (2, "goal", 5.0), (2, "market", 7.0)]
    assert stays_of(changes, until=100.0) == [("goal", 0.0, 10.0), ("market", 10.0, 25.0), ("goal", 5.0, 7.0)]
    assert stays_of(changes, until=20.0) == [("goal", 0.0, 10.0), ("goal", 5.0, 7.0)]


def test_reached_counts_every_deal_whose_highest_stage_is_at_least_the_stage():
    highest = {1: (2, D("10")), 3: (1, D("5")), 4: (3, D("30"))}
    assert [count for count, _ in cumulative_reached(highest, 5)] == [6, 4, 4, 3, 0]
    assert [amount for _, amount in cumulative_reached(highest, 5)] == [D("45"), D("35"), D("35"), D("30"), D("0")]


@pytest.mark.parametrize(
    ("lost", "expected"),
    [({"b": 3, "c": 5}, "c"), ({"a": 4, "c": 4}, "a"), ({}, None), ({"b": 0}, None)],
)
def test_the_stage_that_loses_most_is_where_most_deals_were_lost_earliest_on_a_tie(lost, expected):
    assert worst_stage(lost, ["a", "b", "c"]) == expected


def test_funnel_rows_keep_the_stage_order_and_compute_percentages():
    funnel = funnel_build(
        order=["a", "b", "c"],
        reached={"a": (10, D("1000")), "b": (4, D("600")), "c": (3, D("300"))},
        durations={},
        lost_reasons=[("a", "Цена", 2), ("b", "Цена", 1), ("b", "Нет бюджета", 3), ("c", "Цена", 1)],
        won=2,
        lost=7,
        won_amount=D("300"),
        cycle=Durations(),
    )
    assert [(r.code, r.count, r.of_previous, r.of_first, r.lost) for r in funnel.stages] == [
        ("a", 10, None, D("100.0"), 2),
        ("b", 4, D("40.0"), D("40.0"), 4),
        ("c", 3, D("75.0"), D("30.0"), 1),
    ]
    assert funnel.stages[1].average == D("150.00")
    assert funnel.worst_stage == "b" and [r.worst for r in funnel.stages] == [False, True, False]
    assert funnel.worst_reasons == [("Нет бюджета", 3), ("Цена", 1)]
    assert (funnel.conversion, funnel.closed, funnel.average_won) == (D("22.2"), 9, D("150.00"))


@pytest.mark.parametrize(
    ("per_client", "clients", "of_previous", "of_first"),
    [
        ({1: 6, 2: 3, 3: 1}, [10, 4, 1], [None, D("40.0"), D("25.0")], [D("100.0"), D("40.0"), D("10.0")]),
        ({1: 2, 5: 2}, [4, 2, 2], [None, D("50.0"), D("100.0")], [D("100.0"), D("50.0"), D("50.0")]),
        ({}, [0, 0, 0], [None, None, None], [None, None, None]),
    ],
)
def test_purchase_funnel_counts_clients_with_at_least_k_purchases(per_client, clients, of_previous, of_first):
    steps = purchase_funnel(per_client)
    assert [s.clients for s in steps] == clients
    assert [s.of_previous for s in steps] == of_previous
    assert [s.of_first for s in steps] == of_first
