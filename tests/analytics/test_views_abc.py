"""The ABC/XYZ pages, exports, API, My day, the client card and the headline: per role, with constant queries."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from analytics.models import AnalyticsSettings, ClientAbc
from analytics.selectors.abc import Slice, abc_headline, abc_matrix
from core.panels import MY_DAY, panels_for
from crm.models import Client
from tests.conftest import api_as
from tests.crm.factories import ClientFactory
from vip.models import ProgrammeClient

pytestmark = pytest.mark.django_db
NOW, BEFORE = date(2026, 11, 1), date(2026, 10, 1)
AS_OF = "2026-11-20"
ROLES_SEE = {"head": 4, "admin_user": 4, "team_lead": 3, "manager": 2, "other_manager": 1, "vip_head": 1}
ROLES_DENIED = ("service_owner", "base_manager")


def classify(client, month, cell, revenue, rank=1, months=10):
    return ClientAbc.objects.create(
        month=month,
        client=client,
        abc=cell[0],
        xyz=cell[1],
        cell=cell,
        basis="revenue",
        revenue=D(revenue),
        margin=D(revenue) / 4,
        months_bought=months,
        cv=D("12.5"),
        rank=rank,
        cumulative_share=D("50"),
    )


@pytest.fixture
def world(manager, teammate, other_manager, team_lead):
    AnalyticsSettings.current()
    mine1 = ClientFactory(owner=manager, name="Мой падает", category=Client.Category.A)
    mine2 = ClientFactory(owner=manager, name="Мой растёт")
    team = ClientFactory(owner=teammate, name="Команды новый")
    other = ClientFactory(owner=other_manager, name="Чужой VIP")
    ProgrammeClient.objects.create(client=other)
    classify(mine1, BEFORE, "AX", 900)
    classify(mine1, NOW, "BX", 500, rank=3)
    classify(mine2, BEFORE, "BY", 300)
    classify(mine2, NOW, "AY", 1000, rank=2)
    classify(team, NOW, "CZ", 10, rank=4, months=1)
    classify(other, BEFORE, "AX", 2500)
    classify(other, NOW, "AY", 2000, rank=1)
    return {"mine1": mine1, "mine2": mine2, "team": team, "other": other}


def more_clients(owner, n):
    for i in range(n):
        client = ClientFactory(owner=owner, name=f"Ещё {i}")
        classify(client, BEFORE, "AX", 100)
        classify(client, NOW, "BZ", 50, rank=10 + i)


@pytest.mark.parametrize(("who", "clients"), ROLES_SEE.items())
def test_matrix_per_role(client, request, world, who, clients):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("analytics_abc"), {"as_of": AS_OF})
    assert response.status_code == 200
    assert response.context["matrix"].clients == clients
    assert response.context["month"] == NOW
    assert "abc-formula" in response.content.decode()


@pytest.mark.parametrize("who", ROLES_DENIED)
def test_pages_are_denied_to_the_others(client, request, world, who):
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("analytics_abc"), reverse("analytics_abc_cell", args=["AX"]), reverse("analytics_abc_export")):
        assert client.get(url).status_code == 403
    assert api_as(request.getfixturevalue(who)).get("/api/v1/analytics/abc/").status_code == 403


def test_matrix_figures_for_the_head(client, head, world):
    client.force_login(head)
    response = client.get(reverse("analytics_abc"), {"as_of": AS_OF})
    matrix = response.context["matrix"]
    # 4 clients, revenue 500 + 1000 + 10 + 2000 = 3510
    assert (matrix.cells["AY"].clients, matrix.cells["AY"].revenue) == (2, D("3000.00"))
    assert matrix.cells["AY"].revenue_share == D("85.5")  # 3000 / 3510
    assert matrix.cells["AY"].client_share == D("50.0")
    assert matrix.klass("A").clients == 2
    transitions = response.context["transitions"]
    assert transitions.counts == {("AX", "BX"): 1, ("BY", "AY"): 1, ("—", "CZ"): 1, ("AX", "AY"): 1}
    assert transitions.moved == 3
    assert [row.client.name for row in response.context["falls"]] == ["Чужой VIP", "Мой падает"]
    body = response.content.decode()
    assert "Buy the most and keep coming back." in body or "постоянно возвращаются" in body
    assert 'data-chart="abc-transitions-option"' in body


def test_matrix_for_a_team_and_a_manager(client, head, world, manager, team):
    client.force_login(head)
    by_team = client.get(reverse("analytics_abc"), {"as_of": AS_OF, "team": team.pk})
    assert by_team.context["matrix"].clients == 3
    by_manager = client.get(reverse("analytics_abc"), {"as_of": AS_OF, "manager": manager.pk})
    assert by_manager.context["matrix"].clients == 2


@pytest.mark.parametrize(
    "params",
    [{"as_of": "2026-13-45"}, {"manager": "999999"}, {"team": "abc"}, {"manager": "OTHER"}],
)
def test_bad_filter_is_400_keeping_what_was_typed(client, manager, other_manager, world, params):
    params = {k: (str(other_manager.pk) if v == "OTHER" else v) for k, v in params.items()}
    client.force_login(manager)
    response = client.get(reverse("analytics_abc"), params)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["form"].data.get(next(iter(params))) == next(iter(params.values()))
    assert client.get(reverse("analytics_abc_cell", args=["AX"]), params).status_code == 400
    assert client.get(reverse("analytics_abc_export"), params).status_code == 400
    assert api_as(manager).get("/api/v1/analytics/abc/", params).status_code == 400
    assert api_as(manager).get("/api/v1/analytics/abc-transitions/", params).status_code == 400


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("head", ["Чужой VIP", "Мой растёт"]),
        ("manager", ["Мой растёт"]),
        ("vip_head", ["Чужой VIP"]),
        ("team_lead", ["Мой растёт"]),
    ],
)
def test_a_cell_lists_its_clients_and_exports_them(client, request, world, who, names):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("analytics_abc_cell", args=["AY"]), {"as_of": AS_OF})
    assert response.status_code == 200
    assert [row.client.name for row in response.context["page"].object_list] == names
    export = client.get(reverse("analytics_abc_cell_export", args=["AY"]), {"as_of": AS_OF})
    sheet = load_workbook(BytesIO(export.content)).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == names


def test_unknown_cell_is_404(client, head, world):
    client.force_login(head)
    assert client.get(reverse("analytics_abc_cell", args=["QQ"])).status_code == 404


def test_falls_and_matrix_export(client, head, world):
    client.force_login(head)
    falls = load_workbook(BytesIO(client.get(reverse("analytics_abc_falls_export"), {"as_of": AS_OF}).content)).active
    assert [(r[0].value, r[2].value, r[3].value) for r in falls.iter_rows(min_row=2)] == [
        ("Чужой VIP", "AY", "AX"),
        ("Мой падает", "BX", "AX"),
    ]
    matrix = load_workbook(BytesIO(client.get(reverse("analytics_abc_export"), {"as_of": AS_OF}).content)).active
    rows = {r[1].value: r[2].value for r in matrix.iter_rows(min_row=2)}
    assert rows["AY"] == 2 and rows["AX → AY"] == 1 and rows["— → CZ"] == 1


def count_queries(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("analytics_abc"),
        reverse("analytics_abc_cell", args=["BZ"]),
        reverse("analytics_abc_cell_export", args=["BZ"]),
        reverse("analytics_abc_falls_export"),
        reverse("analytics_abc_export"),
    ],
)
def test_queries_do_not_grow_with_rows(client, head, manager, world, url):
    client.force_login(head)
    more_clients(manager, 2)
    small = count_queries(lambda: client.get(url, {"as_of": AS_OF}))
    more_clients(manager, 25)
    assert count_queries(lambda: client.get(url, {"as_of": AS_OF})) == small
    assert small <= 14


@pytest.mark.parametrize("path", ["/api/v1/analytics/abc/", "/api/v1/analytics/abc-transitions/"])
def test_api_queries_do_not_grow(head, manager, world, path):
    api = api_as(head)
    more_clients(manager, 2)
    small = count_queries(lambda: api.get(path, {"as_of": AS_OF}))
    more_clients(manager, 25)
    assert count_queries(lambda: api.get(path, {"as_of": AS_OF})) == small


@pytest.mark.parametrize(("who", "clients"), ROLES_SEE.items())
def test_api_matrix_per_role(request, world, who, clients):
    response = api_as(request.getfixturevalue(who)).get("/api/v1/analytics/abc/", {"as_of": AS_OF})
    assert response.status_code == 200
    data = response.json()
    assert data["clients"] == clients
    assert [c["cell"] for c in data["cells"]] == ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"]
    assert data["rules"]["a_share"] == "80.00"
    assert next(c for c in data["cells"] if c["cell"] == "AY")["advice"]


@pytest.mark.parametrize(
    ("who", "falls"),
    [("head", 2), ("admin_user", 2), ("team_lead", 1), ("manager", 1), ("other_manager", 1), ("vip_head", 1)],
)
def test_api_transitions_per_role(request, world, who, falls):
    response = api_as(request.getfixturevalue(who)).get("/api/v1/analytics/abc-transitions/", {"as_of": AS_OF})
    assert response.status_code == 200
    assert response.json()["falls_count"] == falls


@pytest.mark.parametrize("who", ROLES_DENIED)
def test_api_transitions_denied(request, world, who):
    assert api_as(request.getfixturevalue(who)).get("/api/v1/analytics/abc-transitions/").status_code == 403


def test_my_day_lists_the_owners_fallen_clients(client, manager, other_manager, teammate, world):
    panels = {p.name: p.context for p in panels_for(MY_DAY, user=manager, today=date(2026, 11, 25))}
    assert [row.client.name for row in panels["abc_falls"]["abc_falls"]["falls"]] == ["Мой падает"]
    assert "abc_falls" not in {p.name for p in panels_for(MY_DAY, user=teammate, today=date(2026, 11, 25))}
    client.force_login(manager)
    assert "myday-abc-falls" in client.get(reverse("home")).content.decode()


def test_client_card_shows_the_class_since_and_the_stored_category(client, manager, world):
    client.force_login(manager)
    classify(world["mine2"], date(2026, 9, 1), "AY", 800)
    body = client.get(reverse("client_detail", args=[world["mine1"].pk])).content.decode()
    assert "client-abc" in body and "11.2026" in body
    panel = body[body.index('data-testid="client-abc"') :]
    assert "BX" in panel and 'data-testid="client-abc-category"' in panel and "text-warning" in panel


def test_since_follows_the_unbroken_run(manager, world):
    from analytics.selectors.abc import client_abc_history

    ClientAbc.objects.filter(client=world["mine2"], month=BEFORE).update(cell="AY", abc="A", xyz="Y")
    classify(world["mine2"], date(2026, 9, 1), "AY", 800)
    classify(world["mine2"], date(2026, 8, 1), "BY", 800)
    data = client_abc_history(manager, world["mine2"], date(2026, 11, 25))
    assert (data["current"].cell, data["since"]) == ("AY", date(2026, 9, 1))
    assert not data["differs"]
    assert client_abc_history(manager, world["other"], date(2026, 11, 25)) is None  # not his client


def test_headline(head, manager, world):
    headline = abc_headline(head, date(2026, 11, 25))
    # A: 2 of 4 clients, 3000 of 3510 = 85.5 % of revenue
    assert headline.value in ("A: 50.0 % of clients, 85.5 % of revenue", "A: 50.0 % клиентов, 85.5 % выручки")
    assert "2" in headline.detail and "4" in headline.detail
    assert abc_matrix(Slice(manager), NOW).clients == 2
    assert abc_headline(head, date(2026, 9, 1)) is None


@pytest.mark.parametrize(
    ("who", "cells", "falls"),
    [
        ("head", 4, 2),
        ("admin_user", 4, 2),
        ("team_lead", 3, 1),
        ("manager", 2, 1),
        ("other_manager", 1, 1),
        ("vip_head", 1, 1),
    ],
)
def test_exports_per_role(client, request, world, who, cells, falls):
    client.force_login(request.getfixturevalue(who))
    matrix = load_workbook(BytesIO(client.get(reverse("analytics_abc_export"), {"as_of": AS_OF}).content)).active
    assert sum(r[2].value for r in matrix.iter_rows(min_row=2) if r[0].value in ("Cell", "Ячейка")) == cells
    export = client.get(reverse("analytics_abc_falls_export"), {"as_of": AS_OF})
    assert load_workbook(BytesIO(export.content)).active.max_row - 1 == falls


@pytest.mark.parametrize(
    ("who", "shown"),
    [("head", True), ("manager", True), ("team_lead", True), ("vip_head", False), ("base_manager", False)],
)
def test_the_client_card_panel_follows_the_scope(client, request, world, who, shown):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("client_detail", args=[world["mine1"].pk]))
    if response.status_code == 200:
        assert ('data-testid="client-abc"' in response.content.decode()) is shown
    else:
        assert not shown
