"""The LTV, share-of-wallet and lost-clients pages, exports and API routes: who may open them, whose rows they show,
query counts that do not grow with the rows, and bad parameters answered 400 (API) or ignored (pages), never 500."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import ClientCategoryPurchase
from crm.services.wallet import client_category_purchase_record
from tests.api_errors import field_errors
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

PAGES = ["analytics_ltv", "analytics_wallet", "analytics_lost"]
EXPORTS = ["analytics_ltv_export", "analytics_wallet_export", "analytics_lost_export"]
API = ["/api/v1/analytics/ltv/", "/api/v1/analytics/wallet/", "/api/v1/analytics/lost/"]
ROLES_IN = ["head", "admin_user", "team_lead", "manager", "other_manager", "vip_head"]
ROLES_OUT = ["service_owner", "base_manager"]
AS_OF = "2026-06-15"


def client_with_history(owner, name, n=1):
    """A client that bought stone in 2025 and stopped (lost in 2026), with a yearly figure on the card."""
    stone = CategoryFactory(name="Щебень")
    client = ClientFactory(owner=owner, name=name)
    for i in range(n):
        SaleLineFactory(
            client=client,
            product=ProductFactory(category=stone),
            date=date(2025, 7, 1) + timedelta(days=20 * i),
            amount=Decimal("10000"),
            margin=Decimal("2000"),
        )
    client_category_purchase_record(
        client=client,
        category=stone,
        yearly_amount="100000",
        recorded_on=date(2026, 1, 1),
        source=ClientCategoryPurchase.Source.CARD,
        by=owner,
    )
    return client


@pytest.fixture
def world(manager, other_manager):
    return client_with_history(manager, "Мой клиент"), client_with_history(other_manager, "Чужой клиент")


@pytest.mark.parametrize("page", PAGES + EXPORTS)
@pytest.mark.parametrize("role", ROLES_OUT)
def test_pages_refuse_who_sees_no_analytics(request, client, world, page, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("path", API)
@pytest.mark.parametrize("role", ROLES_OUT)
def test_api_refuses_who_sees_no_analytics(request, api, world, path, role):
    api.force_authenticate(request.getfixturevalue(role))
    assert api.get(path).status_code == 403


@pytest.mark.parametrize("path", [*API, "/analytics/ltv/"])
def test_anonymous_is_refused(client, path):
    assert client.get(path).status_code in (302, 401, 403)


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("head", {"Мой клиент", "Чужой клиент"}),
        ("admin_user", {"Мой клиент", "Чужой клиент"}),
        ("team_lead", {"Мой клиент"}),
        ("manager", {"Мой клиент"}),
        ("other_manager", {"Чужой клиент"}),
        ("vip_head", set()),
    ],
)
def test_each_role_sees_its_own_rows(request, client, api, world, role, names):
    user = request.getfixturevalue(role)
    client.force_login(user)
    api.force_authenticate(user)
    others = {"Мой клиент", "Чужой клиент"} - names
    for page in PAGES:
        html = client.get(reverse(page), {"as_of": AS_OF}).content.decode()
        if page != "analytics_ltv":  # LTV lists groups, not clients
            assert all(name in html for name in names), page
        assert not any(name in html for name in others), page
    ltv = api.get("/api/v1/analytics/ltv/", {"as_of": AS_OF}).json()
    assert ltv["total"]["clients"] == len(names)
    wallet = api.get("/api/v1/analytics/wallet/", {"as_of": AS_OF}).json()
    assert {row["client"] for row in wallet["rows"]} == names
    lost = api.get("/api/v1/analytics/lost/", {"as_of": AS_OF}).json()
    assert {row["name"] for row in lost["clients"]} == names
    for page in EXPORTS:
        response = client.get(reverse(page), {"as_of": AS_OF})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_figures(api, head, world):
    api.force_authenticate(head)
    ltv = api.get("/api/v1/analytics/ltv/", {"as_of": AS_OF, "by": "manager"}).json()
    # 2 clients, 1 document of 10 000 each, lost (lifetime 1 month), margin 20 %: LTV 2 000.
    assert (ltv["total"]["average_check"], ltv["total"]["profitability"], ltv["total"]["ltv"]) == (
        "10000.00",
        "20.00",
        "2000.00",
    )
    assert len(ltv["rows"]) == 2
    wallet = api.get("/api/v1/analytics/wallet/", {"as_of": AS_OF}).json()
    assert (wallet["share"], wallet["clients_with_figure"]) == (10, 2)
    lost = api.get("/api/v1/analytics/lost/", {"as_of": AS_OF}).json()
    # Bought in 07.2025, nothing since: lost in 01.2026 (the 7th of the 12 months from 07.2025).
    assert lost["counts"] == [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/analytics/ltv/", {"as_of": "15.06.2026"}, "as_of"),
        ("/api/v1/analytics/ltv/", {"as_of": "2026-02-30"}, "as_of"),
        ("/api/v1/analytics/ltv/", {"as_of": "9999-01-01"}, "as_of"),
        ("/api/v1/analytics/ltv/", {"by": "region"}, "by"),
        ("/api/v1/analytics/wallet/", {"category": "²"}, "category"),
        ("/api/v1/analytics/wallet/", {"category": "1e400"}, "category"),
        ("/api/v1/analytics/lost/", {"as_of": "x"}, "as_of"),
    ],
)
def test_bad_api_parameters_are_400(api, head, path, params, field):
    api.force_authenticate(head)
    response = api.get(path, params)
    assert response.status_code == 400
    assert field in field_errors(response)


@pytest.mark.parametrize("page", PAGES + EXPORTS)
def test_bad_page_parameters_are_ignored(client, head, world, page):
    client.force_login(head)
    response = client.get(reverse(page), {"as_of": "2026-13-45", "by": "x", "category": "٣"})
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_query_counts_do_not_grow_with_rows(client, head, manager, other_manager, page, django_assert_max_num_queries):
    client_with_history(manager, "Первый", n=2)
    client.force_login(head)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse(page), {"as_of": AS_OF}).status_code == 200
    for i in range(6):
        client_with_history(other_manager if i % 2 else manager, f"Клиент {i}", n=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(page), {"as_of": AS_OF}).status_code == 200


@pytest.mark.parametrize("path", API)
def test_api_query_counts_do_not_grow_with_rows(api, head, manager, path, django_assert_max_num_queries):
    client_with_history(manager, "Первый", n=2)
    api.force_authenticate(head)
    with django_assert_max_num_queries(10) as small:
        assert api.get(path, {"as_of": AS_OF}).status_code == 200
    for i in range(6):
        client_with_history(manager, f"Клиент {i}", n=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(path, {"as_of": AS_OF}).status_code == 200


def test_the_nav_links_the_pages(client, manager, service_owner):
    client.force_login(manager)
    html = client.get(reverse("analytics_lost")).content.decode()
    assert 'data-testid="nav-analytics"' in html and reverse("analytics_ltv") in html
    client.force_login(service_owner)
    assert 'data-testid="nav-analytics"' not in client.get("/").content.decode()
