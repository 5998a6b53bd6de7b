"""The funnel page, its drill-downs, export and API: each role's figures, bad input answers 400, query counts stay
constant in rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exports import XLSX_TYPE
from tests.analytics.funnel_world import NOVEMBER, add_deals, funnel_world
from tests.api_errors import field_errors
from tests.conftest import api_as

pytestmark = pytest.mark.django_db
SEES = ["head", "admin_user", "team_lead", "manager", "other_manager", "vip_head"]
DENIED = ["service_owner", "base_manager"]
PAGES = ["analytics_funnel", "analytics_funnel_export"]


@pytest.fixture
def world(manager, other_manager):
    return funnel_world(manager, other_manager)


@pytest.mark.parametrize("who", SEES)
@pytest.mark.parametrize("page", PAGES)
def test_the_sales_department_and_the_vip_head_open_the_funnel(client, request, world, who, page):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(page), NOVEMBER)
    assert response.status_code == 200
    if page == "analytics_funnel_export":
        assert response["Content-Type"] == XLSX_TYPE


@pytest.mark.parametrize("who", DENIED)
@pytest.mark.parametrize("page", [*PAGES, "analytics_funnel_deals", "analytics_funnel_clients"])
def test_others_get_403(client, request, world, who, page):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(page), {**NOVEMBER, "stage": "goal", "purchase": "1"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("head", {"A", "B", "C", "D"}),
        ("manager", {"A", "B"}),
        ("team_lead", {"A", "B"}),
        ("other_manager", {"C", "D"}),
        ("vip_head", set()),
    ],
)
def test_a_bar_drills_down_to_the_users_own_deals(client, request, world, who, titles):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("analytics_funnel_deals"), {**NOVEMBER, "stage": "market"})
    assert response.status_code == 200
    assert {deal.title for deal in response.context["page"]} == titles
    for deal in response.context["page"]:
        assert reverse("deal_detail", args=[deal.pk]) in response.content.decode()


def test_the_page_shows_the_formula_the_numbers_and_the_worst_stage(client, head, world):
    client.force_login(head)
    response = client.get(reverse("analytics_funnel"), NOVEMBER)
    html = response.content.decode()
    assert response.context["funnel"].conversion == 50
    assert 'data-testid="funnel-worst"' in html and "Цена" in html
    links = response.context["chart_option"]["links"]
    assert len(links) == 14 and "stage=goal" in links[0] and "date_from=2026-11-01" in links[0]
    labels = response.context["chart_option"]["yAxis"]["data"]
    assert labels[0].startswith("1. ") and labels[13].startswith("14. ")  # the fixed stage order


def test_the_purchase_bar_lists_the_clients(client, head, world):
    client.force_login(head)
    response = client.get(reverse("analytics_funnel_clients"), {**NOVEMBER, "purchase": "2"})
    assert [c.name for c in response.context["page"]] == ["X"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-12-01", "date_to": "2026-11-01"}, "раньше его начала"),
        ({"date_from": "вчера"}, ""),
        ({"view": "weekly"}, ""),
        ({"manager": "abc"}, ""),
        ({"date_from": "2020-01-01", "date_to": "2026-01-01"}, "трёх лет"),
    ],
)
def test_bad_parameters_answer_400_with_the_message(client, head, world, params, message):
    client.force_login(head)
    for page in ("analytics_funnel", "analytics_funnel_export", "analytics_funnel_deals"):
        response = client.get(reverse(page), {**params, "stage": "goal"})
        assert response.status_code == 400
        assert 'data-testid="funnel-error"' in response.content.decode()
    assert message in client.get(reverse("analytics_funnel"), params).content.decode()
    api = api_as(head).get("/api/v1/analytics/funnel/", params)
    assert api.status_code == 400 and set(field_errors(api)) & {"date_from", "date_to", "view", "manager"}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"stage": "thinking"}, 400),
        ({"stage": "lost", "lost_from": "x"}, 400),
        ({"stage": "lost", "lost_from": "market"}, 200),
        ({"stage": "won"}, 200),
    ],
)
def test_drill_down_stage_is_checked(client, head, world, params, status):
    client.force_login(head)
    assert client.get(reverse("analytics_funnel_deals"), {**NOVEMBER, **params}).status_code == status
    assert client.get(reverse("analytics_funnel_clients"), {**NOVEMBER, "purchase": "9"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "goal", "status"),
    [
        ("head", 3, 200),
        ("manager", 2, 200),
        ("other_manager", 1, 200),
        ("vip_head", 0, 200),
        ("service_owner", None, 403),
        ("base_manager", None, 403),
    ],
)
def test_the_api_answers_each_role_with_its_figures(request, world, who, goal, status):
    response = api_as(request.getfixturevalue(who)).get("/api/v1/analytics/funnel/", NOVEMBER)
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["stages"][0]["count"] == goal and len(body["stages"]) == 14
        assert [s["stage"] for s in body["stages"]][:2] == ["goal", "market"]


def test_api_figures_of_the_head(head, world):
    body = api_as(head).get("/api/v1/analytics/funnel/", NOVEMBER).json()
    assert (body["won"], body["lost"], body["conversion"], body["worst_stage"]) == (1, 1, "50.0", "market")
    assert body["stages"][1]["days"]["median_days"] == "4.0" and body["purchases"][0]["clients"] == 2


@pytest.mark.parametrize("url", ["analytics_funnel", "analytics_funnel_deals", "api"])
def test_query_counts_do_not_grow_with_deals(client, head, world, url):
    client.force_login(head)
    sizes = []
    for extra in (0, 30):
        add_deals(world["A"].client, world["C"].client, extra)
        with CaptureQueriesContext(connection) as captured:
            if url == "api":
                response = api_as(head).get("/api/v1/analytics/funnel/", NOVEMBER)
            else:
                response = client.get(reverse(url), {**NOVEMBER, "stage": "market"})
            assert response.status_code == 200
        sizes.append(len(captured))
    assert sizes[0] == sizes[1] < 30
