"""Schemathesis over every operation of /api/schema/, as a manager and as the head: no 500s, answers as documented.

Each operation is one pytest test per role with Hypothesis' examples inside it (`django_db` without transaction=True:
one transaction per test holds the department of tests/attack/conftest.py). Every example runs in a savepoint that is
rolled back after it, so each example meets the same rows, an example replayed while Hypothesis shrinks gets the same
answer, and no example's writes leak into the next.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.attack.api import call_and_check, schema

EXAMPLES = 50


def resource_of(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def aim(case, ids: dict[str, list[int]]) -> None:
    """Three generated integer ids in four become rows of the department (picked by the id itself, so an example
    replays the same); the rest, and every id of another type, go as generated."""
    generated = case.path_parameters.get("id")
    known = ids.get(resource_of(case.operation.path))
    if known and type(generated) is int and generated % 4:
        case.path_parameters["id"] = known[generated % len(known)]


@pytest.mark.attack
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "head"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_every_input_as_documented(case, role, department, server_errors):
    aim(case, department["ids"])
    call_and_check(case, token=department["tokens"][role], server_errors=server_errors)
