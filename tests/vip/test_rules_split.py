"""Splitting the list evenly: loads differ by at most one, owners keep their clients while they have room."""

import pytest

from vip.rules.split import split_evenly


@pytest.mark.parametrize(
    ("clients", "staff", "loads"),
    [
        ([(1, 10), (2, 10), (3, 10), (4, 10)], [10, 20], {10: 2, 20: 2}),
        ([(1, 10), (2, 20), (3, 30), (4, None), (5, None)], [10, 20], {10: 3, 20: 2}),
        ([(n, None) for n in range(7)], [1, 2, 3], {1: 3, 2: 2, 3: 2}),
        ([], [1, 2], {}),
        ([(1, 5)], [], {}),
    ],
)
def test_loads(clients, staff, loads):
    result = split_evenly(clients, staff)
    assert set(result) == ({c for c, _ in clients} if staff else set())
    got = {u: list(result.values()).count(u) for u in staff if u in result.values()}
    assert got == loads


def test_owners_keep_their_clients_while_they_have_room():
    result = split_evenly([(1, 10), (2, 10), (3, 10), (4, 20)], [10, 20])
    assert result[4] == 20
    assert [result[n] for n in (1, 2, 3)].count(10) == 2
