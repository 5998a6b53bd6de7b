"""`/api/v1/stock-requests/`: read through visible_to, recorded by sellers and the head, answered by the head."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import StockRequest
from crm.services.stock import stock_request_answer, stock_request_create
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, UserFactory

URL = "/api/v1/stock-requests/"


def recorded(by, client_obj, **kwargs) -> StockRequest:
    kwargs.setdefault("quantity", "5")
    kwargs.setdefault("item_name", "Домофон")
    return stock_request_create(by=by, client=client_obj, **kwargs)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_a_manager_records_a_request_for_his_client(manager):
    own = ClientFactory(owner=manager)
    product = ProductFactory(name="Регистратор", unit="шт")
    response = api_as(manager).post(
        URL, {"client": own.pk, "product": product.pk, "quantity": "3", "note": "Каждый месяц"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["client"], body["product"], body["quantity"], body["unit"], body["status"]) == (
        own.pk,
        product.pk,
        "3.000",
        "шт",
        "pending",
    )
    assert body["item_label"] == "Регистратор" and body["requested_by"] == manager.pk
    assert StockRequest.objects.get().quantity == Decimal("3")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quantity": "3"}, "product"),
        ({"item_name": "Домофон", "product": "PRODUCT", "quantity": "3"}, "product"),
        ({"item_name": "Домофон", "quantity": "0"}, "quantity"),
        ({"item_name": "Домофон", "quantity": "-2"}, "quantity"),
        ({"item_name": "Домофон", "quantity": "много"}, "quantity"),
        ({"item_name": "Домофон", "quantity": "0.0001"}, "quantity"),
        ({"item_name": "Домофон"}, "quantity"),
        ({"item_name": "Домофон", "quantity": "1", "product": 999999}, "product"),
        ({"item_name": "Домофон", "quantity": "1", "category": "x"}, "category"),
        ({"item_name": "x" * 300, "quantity": "1"}, "item_name"),
        ({"item_name": "Домофон", "quantity": "1", "unit": "u" * 40}, "unit"),
    ],
)
def test_bad_input_is_400_with_the_field_named(manager, data, field):
    own = ClientFactory(owner=manager)
    payload = {"client": own.pk, **data}
    if payload.get("product") == "PRODUCT":
        payload["product"] = ProductFactory().pk
    response = api_as(manager).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)
    assert not StockRequest.objects.exists()


def test_another_managers_client_does_not_exist_for_a_manager(manager, other_manager):
    theirs = ClientFactory(owner=other_manager)
    response = api_as(manager).post(URL, {"client": theirs.pk, "item_name": "Домофон", "quantity": "1"}, format="json")
    assert response.status_code == 400 and "client" in field_errors(response)


@pytest.mark.parametrize("who", ["vip_head", "base_manager", "service_owner"])
def test_roles_outside_sales_may_not_record(request, who, manager):
    own = ClientFactory(owner=manager)
    response = api_as(request.getfixturevalue(who)).post(
        URL, {"client": own.pk, "item_name": "Домофон", "quantity": "1"}, format="json"
    )
    assert response.status_code in (400, 403)
    assert not StockRequest.objects.exists()


def test_every_role_sees_only_what_it_may(
    manager, teammate, other_manager, team_lead, head, admin_user, vip_head, service_owner, base_manager
):
    mine = recorded(manager, ClientFactory(owner=manager))
    teammates = recorded(teammate, ClientFactory(owner=teammate))
    theirs = recorded(other_manager, ClientFactory(owner=other_manager))
    assert ids(api_as(manager).get(URL)) == {mine.pk}
    assert ids(api_as(other_manager).get(URL)) == {theirs.pk}
    assert ids(api_as(team_lead).get(URL)) == {mine.pk, teammates.pk}
    assert ids(api_as(head).get(URL)) == ids(api_as(admin_user).get(URL)) == {mine.pk, teammates.pk, theirs.pk}
    for outsider in (vip_head, service_owner, base_manager):
        assert ids(api_as(outsider).get(URL)) == set()
        assert api_as(outsider).get(f"{URL}{mine.pk}/").status_code == 404
    assert api_as(manager).get(f"{URL}{theirs.pk}/").status_code == 404
    assert api_as(manager).get(f"{URL}{mine.pk}/").status_code == 200


def test_the_head_answers_and_the_manager_reads_the_answer(head, manager):
    mine = recorded(manager, ClientFactory(owner=manager))
    response = api_as(head).post(f"{URL}{mine.pk}/answer/", {"status": "ordered", "answer": "Придёт"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["answered_by"]) == ("ordered", head.pk)
    seen = api_as(manager).get(f"{URL}{mine.pk}/").json()
    assert (seen["status"], seen["answer"], seen["answered_by_name"]) == ("ordered", "Придёт", str(head))


def test_a_refusal_without_a_reason_is_400(head, manager):
    mine = recorded(manager, ClientFactory(owner=manager))
    client = api_as(head)
    response = client.post(f"{URL}{mine.pk}/answer/", {"status": "refused", "answer": ""}, format="json")
    assert response.status_code == 400 and "answer" in field_errors(response)
    response = client.post(f"{URL}{mine.pk}/answer/", {"status": "pending"}, format="json")
    assert response.status_code == 400 and "status" in field_errors(response)
    assert client.post(f"{URL}{mine.pk}/answer/", {}, format="json").status_code == 400
    mine.refresh_from_db()
    assert mine.status == StockRequest.Status.PENDING


@pytest.mark.parametrize("who", ["manager", "team_lead"])
def test_sellers_may_not_answer(request, who, manager):
    mine = recorded(manager, ClientFactory(owner=manager))
    response = api_as(request.getfixturevalue(who)).post(
        f"{URL}{mine.pk}/answer/", {"status": "ordered"}, format="json"
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == StockRequest.Status.PENDING


def test_answering_another_managers_request_is_404_for_a_manager(manager, other_manager):
    theirs = recorded(other_manager, ClientFactory(owner=other_manager))
    assert api_as(manager).post(f"{URL}{theirs.pk}/answer/", {"status": "ordered"}, format="json").status_code == 404


def test_requests_are_not_changed_or_deleted_through_the_api(head, manager):
    mine = recorded(manager, ClientFactory(owner=manager))
    client = api_as(head)
    assert client.patch(f"{URL}{mine.pk}/", {"quantity": "9"}, format="json").status_code == 405
    assert client.delete(f"{URL}{mine.pk}/").status_code == 405


def test_the_filters_and_a_bad_filter(head, manager, other_manager):
    cameras = CategoryFactory(name="Камеры")
    mine = recorded(manager, ClientFactory(owner=manager), item_name="", product=ProductFactory(category=cameras))
    theirs = recorded(other_manager, ClientFactory(owner=other_manager))
    stock_request_answer(by=head, request=theirs, status="refused", answer="Нет")
    client = api_as(head)
    assert ids(client.get(URL, {"manager": manager.pk})) == {mine.pk}
    assert ids(client.get(URL, {"category": cameras.pk})) == {mine.pk}
    assert ids(client.get(URL, {"status": "refused"})) == {theirs.pk}
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
    assert client.get(URL, {"created_from": "not a date"}).status_code == 400


@pytest.mark.parametrize("viewer", ["head", "manager"])
def test_the_list_makes_as_many_queries_for_30_requests_as_for_3(
    request, viewer, manager, team, django_assert_max_num_queries
):
    user = request.getfixturevalue(viewer)
    client = api_as(user)
    head = UserFactory(role="head")

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            owner = manager if i % 2 else UserFactory(team=team)
            product = ProductFactory() if i % 3 == 0 else None
            made = recorded(owner, ClientFactory(owner=owner), product=product, item_name="" if product else "Кабель")
            if i % 4 == 0:
                stock_request_answer(by=head, request=made, status="ordered")

    make(3, 0)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    make(30, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.json()["count"] > 3
