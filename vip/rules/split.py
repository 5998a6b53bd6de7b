"""Splitting the programme's list into personal lists evenly (seed 002 step 4): pure function, no database."""

from __future__ import annotations

from collections.abc import Sequence


def split_evenly(clients: Sequence[tuple[int, int | None]], staff: Sequence[int]) -> dict[int, int]:
    """`clients`: (entry id, owner id) pairs; `staff`: user ids. Every client goes to someone; the loads differ by at
    most one; a client stays with its owner when the owner is staff and has room (the seed: who won the client counts).
    Returns {entry id: user id}."""
    if not staff:
        return {}
    n, k = len(clients), len(staff)
    cap = {user: n // k + (1 if i < n % k else 0) for i, user in enumerate(staff)}
    load = dict.fromkeys(staff, 0)
    result: dict[int, int] = {}
    rest: list[int] = []
    for entry, owner in clients:
        if owner in load and load[owner] < cap[owner]:
            result[entry] = owner
            load[owner] += 1
        else:
            rest.append(entry)
    for entry in rest:
        user = min(staff, key=lambda u: (load[u] - cap[u], load[u]))
        result[entry] = user
        load[user] += 1
    return result
