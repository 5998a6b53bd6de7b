"""/api/v1/analytics/dashboard/: the page's figures as data, for every role's scope, 400 on a bad date, constant
queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analytics.test_views_dashboard import _more, world  # noqa: F401 - the dashboard's world of numbers
from tests.api_errors import field_errors
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics/dashboard/?as_of=2026-11-20"


def test_the_head_gets_the_figures_the_page_adds_up(world, head, manager, other_manager, teammate):  # noqa: F811
    body = api_as(head).get(URL).json()
    assert (Decimal(body["plan"]), Decimal(body["fact"])) == (Decimal("350000"), Decimal("150000"))
    rows = {row["id"]: row for row in body["managers"]}
    assert Decimal(rows[manager.pk]["percent_of_plan"]) == Decimal("50.00")
    assert (rows[manager.pk]["calls"]["done"], Decimal(rows[manager.pk]["calls"]["norm"])) == (3, Decimal("140"))
    assert (body["best"], body["worst"]) == (other_manager.pk, teammate.pk)
    assert Decimal(body["pipeline_weighted"]) == Decimal("70000.00") and body["pipeline_too_small"] is True
    assert body["working_days_passed"] == 14 and len(body["payments_week"]) == 7


@pytest.mark.parametrize(
    ("who", "status", "names"),
    [
        ("head", 200, {"manager", "teammate", "other_manager", "team_lead"}),
        ("admin_user", 200, {"manager", "teammate", "other_manager", "team_lead"}),
        ("team_lead", 200, {"manager", "teammate", "team_lead"}),
        ("manager", 200, {"manager"}),
        ("other_manager", 200, {"other_manager"}),
        ("vip_head", 200, set()),
        ("service_owner", 403, set()),
        ("base_manager", 403, set()),
    ],
)
def test_each_role_gets_its_own_rows(request, world, team_lead, who, status, names):  # noqa: F811
    response = api_as(request.getfixturevalue(who)).get(URL)
    assert response.status_code == status
    if status == 200:
        expected = {request.getfixturevalue(name).pk for name in names}
        assert {row["id"] for row in response.json()["managers"]} == expected


def test_a_bad_date_is_a_400_with_the_field(head):
    response = api_as(head).get("/api/v1/analytics/dashboard/?as_of=2026-13-45")
    assert response.status_code == 400 and "as_of" in field_errors(response)


def test_the_queries_do_not_grow_with_rows(world, head, manager):  # noqa: F811
    api = api_as(head)
    with CaptureQueriesContext(connection) as small:
        assert api.get(URL).status_code == 200
    _more(manager, 15)
    with CaptureQueriesContext(connection) as big:
        assert api.get(URL).status_code == 200
    assert len(big) == len(small)
