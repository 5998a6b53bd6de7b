"""`GET /api/v1/search/`: the grouped search for API clients, what each role finds, bad queries, the schema."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from crm.models.validators import normalize_name
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, ContactFactory, DealFactory

URL = "/api/v1/search/"


def make_client(name, **fields):
    return ClientFactory(name=name, normalized_name=normalize_name(name), **fields)


def test_the_search_answers_clients_contacts_and_deals_grouped(manager):
    firm = make_client("ООО «Телефон»", owner=manager, phone="+74955810283", inn="7707083893")
    person = ContactFactory(client=firm, full_name="Телефонов Иван", mobile="+74955810283")
    deal = DealFactory(client=firm, title="Поставка")

    body = api_as(manager).get(URL, {"q": "8 (495) 581-02-83"}).json()

    assert body["q"] == "8 (495) 581-02-83"
    assert body["message"] == ""
    assert [c["id"] for c in body["clients"]["results"]] == [firm.pk]
    assert body["clients"]["results"][0]["url"] == f"/clients/{firm.pk}/"
    assert body["clients"]["results"][0]["inn"] == "7707083893"
    assert [c["id"] for c in body["contacts"]["results"]] == [person.pk]
    assert body["contacts"]["results"][0]["client_name"] == "ООО «Телефон»"
    assert body["deals"] == {"results": [], "more": False}

    by_number = api_as(manager).get(URL, {"q": f"№{deal.pk}"}).json()
    assert by_number["deals"]["results"][0]["url"] == f"/deals/{deal.pk}/"


def test_limit_caps_each_group_and_more_says_there_are_others(manager):
    for i in range(3):
        make_client(f"Гамма {i}", owner=manager)

    body = api_as(manager).get(URL, {"q": "гамма", "limit": "2"}).json()

    assert len(body["clients"]["results"]) == 2
    assert body["clients"]["more"] is True


@pytest.mark.parametrize("limit", ["0", "51", "abc", "1e3", "²"])
def test_a_bad_limit_is_a_400_on_the_field(manager, limit):
    response = api_as(manager).get(URL, {"q": "гамма", "limit": limit})

    assert response.status_code == 400
    assert "limit" in field_errors(response)


@pytest.fixture
def department(manager, teammate, other_manager):
    for owner, label in ((manager, "mine"), (teammate, "team"), (other_manager, "other"), (None, "free")):
        firm = make_client(f"Кварк {label}", owner=owner)
        ContactFactory(client=firm, full_name=f"Кварков {label}")
        if owner is not None:
            DealFactory(client=firm, title=f"Кварк {label}")


@pytest.mark.parametrize(
    ("role", "clients", "deals"),
    [
        ("manager", ["mine"], ["mine"]),
        ("team_lead", ["mine", "team"], ["mine", "team"]),
        ("head", ["free", "mine", "other", "team"], ["mine", "other", "team"]),
        ("vip_head", ["free", "mine", "other", "team"], []),
        ("base_manager", ["free", "mine", "other", "team"], []),
    ],
)
def test_each_role_finds_what_it_may_see(request, department, role, clients, deals):
    body = api_as(request.getfixturevalue(role)).get(URL, {"q": "кварк"}).json()

    assert sorted(c["name"].split()[-1] for c in body["clients"]["results"]) == clients
    assert sorted(c["full_name"].split()[-1] for c in body["contacts"]["results"]) == clients
    assert sorted(d["title"].split()[-1] for d in body["deals"]["results"]) == deals


def test_the_service_owner_is_refused_and_anonymous_is_401(api, service_owner):
    assert api_as(service_owner).get(URL, {"q": "кварк"}).status_code == 403
    assert api.get(URL, {"q": "кварк"}).status_code == 401


@pytest.mark.parametrize(
    ("query_string", "with_message"),
    [
        ("", False),
        ("q=", False),
        ("q=a", True),
        ("q=%25", True),
        ("q=_", True),
        ("q=" + "x" * 500, True),
        ("q=%ED%A0%80", False),  # a broken UTF-8 byte reads as U+FFFD, found nowhere
        ("q=%00", False),
        ("q=%25%25", False),
        ("q=__", False),
    ],
)
def test_a_query_that_cannot_be_looked_for_answers_200_with_nothing(manager, query_string, with_message):
    make_client("Ромашка", owner=manager)

    response = api_as(manager).get(URL, QUERY_STRING=query_string)

    assert response.status_code == 200
    body = response.json()
    assert body["clients"]["results"] == body["contacts"]["results"] == body["deals"]["results"] == []
    assert bool(body["message"]) is with_message


@pytest.mark.parametrize("rows", [1, 20])
def test_the_search_takes_the_same_queries_for_few_and_many_rows(django_assert_max_num_queries, manager, rows):
    for i in range(rows):
        firm = make_client(f"Тета {i}", owner=manager)
        ContactFactory(client=firm, full_name=f"Тетов {i}")
        DealFactory(client=firm, title=f"Тета {i}")
    api = api_as(manager)

    with django_assert_max_num_queries(3):
        body = api.get(URL, {"q": "тета", "limit": "50"}).json()

    assert len(body["clients"]["results"]) == len(body["deals"]["results"]) == rows


def test_the_schema_documents_the_search_with_its_parameters_and_answer(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit"}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith("/SearchResults")
    assert set(schema["components"]["schemas"]["SearchResults"]["properties"]) == {
        "q",
        "message",
        "clients",
        "contacts",
        "deals",
    }
