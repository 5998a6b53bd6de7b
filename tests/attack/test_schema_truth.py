"""The schema tells the truth about the answers schemathesis might not hit by chance: each is checked against it."""

from __future__ import annotations

import pytest

from tests.attack.api import call_and_check, schema

pytestmark = [pytest.mark.attack, pytest.mark.django_db]


def answer(department, server_errors, role: str, path: str, method: str = "GET", **parts):
    """The real answer to one request, checked against the documented response by schemathesis."""
    case = schema[path][method].Case(**parts)
    return call_and_check(case, token=department["tokens"][role], server_errors=server_errors)


@pytest.mark.parametrize("path", ["/api/v1/pay/", "/api/v1/plan-fact/", "/api/v1/cross-sell/", "/api/v1/tool2/"])
def test_the_month_figures_are_one_object_as_documented(department, server_errors, path):
    response = answer(department, server_errors, "manager", path)

    assert response.status_code == 200
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize("role", ["manager", "head"])
def test_a_plans_month_is_year_and_month_as_documented(department, server_errors, role):
    plan = department["plans"][0]
    response = answer(department, server_errors, role, "/api/v1/plans/{id}/", path_parameters={"id": plan.pk})

    assert response.status_code == 200
    assert response.json()["month"] == f"{plan.month:%Y-%m}"


def test_the_heads_flags_carry_suggestions_and_a_managers_do_not(department, server_errors):
    flag = department["flag"]
    for role, has_suggestions in (("head", True), ("manager", False)):
        response = answer(
            department, server_errors, role, "/api/v1/reassignments/{id}/", path_parameters={"id": flag.pk}
        )

        assert response.status_code == 200
        assert ("suggestions" in response.json()) is has_suggestions


def test_blank_emails_and_unicode_usernames_are_answers_the_schema_allows(department, server_errors):
    contacts = answer(department, server_errors, "manager", "/api/v1/contacts/")
    users = answer(department, server_errors, "head", "/api/v1/users/")

    assert "" in {row["email"] for row in contacts.json()["results"]}
    assert "сидоров" in {row["username"] for row in users.json()["results"]}
