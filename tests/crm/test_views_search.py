"""The search pages: the dropdown under the top bar's box (htmx) and the full results page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models.validators import normalize_name
from tests.crm.factories import ClientFactory, ContactFactory, DealFactory

DROPDOWN = reverse("search_dropdown")
PAGE = reverse("search")


def make_client(name, **fields):
    return ClientFactory(name=name, normalized_name=normalize_name(name), **fields)


def test_the_dropdown_finds_a_client_by_a_phone_typed_nationally_and_links_to_the_card(client, manager):
    found = make_client("ООО «Телефон»", owner=manager, phone="+74955810283")
    client.force_login(manager)

    response = client.get(DROPDOWN, {"q": "8 (495) 581-02-83"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "ООО «Телефон»" in html
    assert reverse("client_detail", args=[found.pk]) in html


def test_the_dropdown_groups_by_kind_and_links_contacts_to_their_client_and_deals_to_their_card(client, manager):
    firm = make_client("Омега", owner=manager)
    ContactFactory(client=firm, full_name="Омегин Пётр")
    deal = DealFactory(client=firm, title="Омега поставка")
    client.force_login(manager)

    html = client.get(DROPDOWN, {"q": "омег"}).content.decode()

    assert html.count('data-testid="search-client"') == 1
    assert html.count('data-testid="search-contact"') == 1
    assert html.count('data-testid="search-deal"') == 1
    assert f'href="{reverse("client_detail", args=[firm.pk])}"' in html
    assert f'href="{reverse("deal_detail", args=[deal.pk])}"' in html


def test_the_dropdown_shows_five_of_a_kind_and_a_link_to_all_of_them(client, manager):
    for i in range(7):
        make_client(f"Сигма {i}", owner=manager)
    client.force_login(manager)

    html = client.get(DROPDOWN, {"q": "сигма"}).content.decode()

    assert html.count('data-testid="search-client"') == 5
    assert f"{PAGE}?q=%D1%81%D0%B8%D0%B3%D0%BC%D0%B0&amp;kind=clients" in html


def test_the_results_page_of_one_kind_lists_every_match_page_by_page(client, manager):
    for i in range(55):
        make_client(f"Дельта {i:02d}", owner=manager)
    client.force_login(manager)

    first = client.get(PAGE, {"q": "дельта", "kind": "clients"})
    second = client.get(PAGE, {"q": "дельта", "kind": "clients", "page": "2"})

    assert first.content.decode().count('data-testid="search-client"') == 50
    assert second.content.decode().count('data-testid="search-client"') == 5


def test_the_results_page_shows_every_kind(client, head):
    firm = make_client("Каппа", owner=None)
    ContactFactory(client=firm, full_name="Каппов Иван")
    client.force_login(head)

    html = client.get(PAGE, {"q": "каппа"}).content.decode()

    assert 'data-testid="search-group-clients"' in html
    assert "Каппа" in html


def test_a_manager_does_not_find_another_managers_client(client, manager, other_manager):
    make_client("Чужая Лямбда", owner=other_manager)
    make_client("Своя Лямбда", owner=manager)
    client.force_login(manager)

    html = client.get(DROPDOWN, {"q": "лямбда"}).content.decode() + client.get(PAGE, {"q": "лямбда"}).content.decode()

    assert "Своя Лямбда" in html
    assert "Чужая Лямбда" not in html


def test_the_service_owner_may_not_search_and_sees_no_box(client, service_owner):
    client.force_login(service_owner)

    assert client.get(DROPDOWN, {"q": "ромашка"}).status_code == 403
    assert client.get(PAGE, {"q": "ромашка"}).status_code == 403
    assert 'data-testid="top-search"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", ["manager", "team_lead", "head", "vip_head", "base_manager"])
def test_the_top_bar_has_the_search_box_for_everyone_who_reads_clients(request, client, role):
    client.force_login(request.getfixturevalue(role))

    html = client.get(reverse("home")).content.decode()

    assert 'data-testid="top-search"' in html
    assert f'hx-get="{DROPDOWN}"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(DROPDOWN, {"q": "ромашка"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "query_string",
    ["", "q=", "q=a", "q=%25", "q=_", "q=" + "x" * 500, "q=%ED%A0%80", "q=%00", "q=%ff%fe", "q=%25%25", "q=__"],
)
@pytest.mark.parametrize("url", [DROPDOWN, PAGE, PAGE + "?kind=contacts&"])
def test_a_query_that_cannot_be_looked_for_answers_200(client, manager, url, query_string):
    make_client("Ромашка", owner=manager)
    client.force_login(manager)
    path, _, fixed = url.partition("?")

    response = client.get(path, QUERY_STRING=fixed + query_string)

    assert response.status_code == 200
    assert "Ромашка" not in response.content.decode().split('id="top-search-results"')[-1]


def test_a_short_query_says_how_much_to_type(client, manager):
    client.force_login(manager)

    html = client.get(DROPDOWN, {"q": "я"}).content.decode()

    assert "2" in html and 'role="status"' in html


@pytest.mark.parametrize("url", [DROPDOWN, PAGE])
def test_the_search_pages_take_the_same_queries_for_few_and_many_rows(client, team_lead, manager, url):
    client.force_login(team_lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "эпсилон"}).status_code == 200
        return len(captured.captured_queries)

    firm = make_client("Эпсилон 0", owner=manager)
    ContactFactory(client=firm, full_name="Эпсилонов 0")
    DealFactory(client=firm, title="Эпсилон сделка 0")
    few = queries()
    for i in range(1, 25):
        firm = make_client(f"Эпсилон {i}", owner=manager)
        ContactFactory(client=firm, full_name=f"Эпсилонов {i}")
        DealFactory(client=firm, title=f"Эпсилон сделка {i}")
    many = queries()

    assert few == many
    assert many <= 8
