"""Clients, contacts and products through the API: writes through the services, 400s with field errors, search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import ChangeLog, Client, ContactPerson, OwnershipChange, Product
from tests.api_errors import error_codes, field_errors
from tests.conftest import api_as
from tests.crm.factories import (
    KNOWN_GOOD_INNS,
    CategoryFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    ProductFactory,
    SaleLineFactory,
    SegmentFactory,
)


def listed(user, query: str) -> set[int]:
    response = api_as(user).get(f"/api/v1/clients/?{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_manager_creates_a_client_that_becomes_his_with_a_normalised_phone(manager):
    segment = SegmentFactory(name="Ритейл")
    body = {
        "name": "ООО «Ромашка»",
        "inn": KNOWN_GOOD_INNS[0],
        "phone": "8 (495) 123-45-67",
        "email": "info@romashka.ru",
        "segment": segment.pk,
        "source": "cold",
    }

    response = api_as(manager).post("/api/v1/clients/", body, format="json")

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["owner"], created["owner_name"], created["phone"]) == (manager.pk, str(manager), "+74951234567")
    assert created["segment_name"] == "Ритейл"
    client = Client.objects.get(pk=created["id"])
    assert OwnershipChange.objects.filter(client=client, to_owner=manager).exists()
    assert ChangeLog.objects.filter(object_id=client.pk, action="create").exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "ООО Тест", "inn": "7707083894"}, {"inn"}),
        ({"name": "ООО Тест", "inn": "12345"}, {"inn"}),
        ({"name": "ООО Тест", "phone": "abc"}, {"phone"}),
        ({"name": "ООО Тест", "phone": "12"}, {"phone"}),
        ({"name": "ООО Тест", "phone_extra": "+7 (495) 1"}, {"phone_extra"}),
        ({"name": "ООО Тест", "email": "not-an-email"}, {"email"}),
        ({"name": "ООО Тест", "kpp": "12"}, {"kpp"}),
        ({"name": "ООО Тест", "status": "sleeping"}, {"status"}),
        ({"name": "ООО Тест", "segment": 999999}, {"segment"}),
        ({"inn": KNOWN_GOOD_INNS[1]}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"name": "ООО Тест", "email": "bad", "phone": "bad", "inn": "1"}, {"email", "inn"}),
    ],
)
def test_bad_client_input_is_400_with_field_errors_and_writes_nothing(manager, body, fields):
    response = api_as(manager).post("/api/v1/clients/", body, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == fields
    assert Client.objects.count() == 0


def test_a_duplicate_inn_is_400_under_inn(manager):
    ClientFactory(owner=manager, inn=KNOWN_GOOD_INNS[2], kpp="")

    response = api_as(manager).post("/api/v1/clients/", {"name": "Дубль", "inn": KNOWN_GOOD_INNS[2]}, format="json")

    assert response.status_code == 400
    assert error_codes(response) == {"inn": ["duplicate_inn"]}
    assert Client.objects.count() == 1


def test_malformed_json_and_a_non_object_body_are_400(manager):
    api = api_as(manager)

    broken = api.post("/api/v1/clients/", data="{name: ", content_type="application/json")
    listed_body = api.post("/api/v1/clients/", data="[1, 2]", content_type="application/json")

    assert (broken.status_code, listed_body.status_code) == (400, 400)
    assert Client.objects.count() == 0


def test_a_manager_updates_his_client_but_not_its_owner(manager, other_manager):
    client = ClientFactory(owner=manager)
    api = api_as(manager)

    renamed = api.patch(f"/api/v1/clients/{client.pk}/", {"name": "ООО Новое", "phone": "+7 495 765-43-21"})
    owner = api.patch(f"/api/v1/clients/{client.pk}/", {"owner": other_manager.pk}, format="json")

    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["phone"]) == ("ООО Новое", "+74957654321")
    assert owner.status_code == 200
    client.refresh_from_db()
    assert client.owner == manager


@pytest.mark.parametrize("role", ["vip_head", "base_manager"])
def test_the_vip_head_and_the_base_manager_read_every_client_but_change_none(request, role, manager):
    client = ClientFactory(owner=manager, name="ООО Старое")
    api = api_as(request.getfixturevalue(role))

    assert api.get(f"/api/v1/clients/{client.pk}/").status_code == 200
    assert api.patch(f"/api/v1/clients/{client.pk}/", {"name": "ООО Новое"}).status_code == 403
    client.refresh_from_db()
    assert client.name == "ООО Старое"


def test_the_base_manager_adds_prospects_without_an_owner(base_manager):
    response = api_as(base_manager).post("/api/v1/clients/", {"name": "ООО Холодный"}, format="json")

    assert response.status_code == 201
    assert response.json()["owner"] is None


def test_the_head_reassigns_a_client_with_a_reason_and_a_manager_may_not(head, manager, other_manager):
    client = ClientFactory(owner=manager)
    url = f"/api/v1/clients/{client.pk}/reassign/"

    by_manager = api_as(manager).post(url, {"owner": other_manager.pk, "reason": "Хочу"}, format="json")
    without_reason = api_as(head).post(url, {"owner": other_manager.pk}, format="json")
    by_head = api_as(head).post(url, {"owner": other_manager.pk, "reason": "Правило трёх месяцев"}, format="json")

    assert by_manager.status_code == 403
    assert without_reason.status_code == 400
    assert "reason" in field_errors(without_reason)
    assert by_head.status_code == 200
    assert by_head.json()["owner"] == other_manager.pk
    assert OwnershipChange.objects.get(client=client, to_owner=other_manager).reason == "Правило трёх месяцев"


def test_only_the_head_deletes_a_client_and_only_one_without_deals_or_sales(head, manager, vip_head):
    empty = ClientFactory(owner=manager)
    with_deal = ClientFactory(owner=manager)
    DealFactory(client=with_deal)
    with_sales = ClientFactory(owner=manager)
    SaleLineFactory(client=with_sales)

    assert api_as(manager).delete(f"/api/v1/clients/{empty.pk}/").status_code == 403
    assert api_as(vip_head).delete(f"/api/v1/clients/{empty.pk}/").status_code == 403
    blocked = [api_as(head).delete(f"/api/v1/clients/{c.pk}/") for c in (with_deal, with_sales)]
    assert [r.status_code for r in blocked] == [400, 400]
    assert all("non_field_errors" in field_errors(r) for r in blocked)
    assert api_as(head).delete(f"/api/v1/clients/{empty.pk}/").status_code == 204
    assert set(Client.objects.values_list("pk", flat=True)) == {with_deal.pk, with_sales.pk}


def test_search_finds_clients_by_name_inn_prefix_and_phone_digits(manager):
    romashka = ClientFactory(owner=manager, name="ООО Ромашка", inn="7707083893", phone="+74951234567")
    lютик = ClientFactory(owner=manager, name="АО Лютик", inn="7736207543", phone="+74997654321", phone_extra="")
    extra = ClientFactory(owner=manager, name="ИП Кактус", inn="", phone="", phone_extra="+78121112233")

    assert listed(manager, "q=ромаш") == {romashka.pk}
    assert listed(manager, "q=77362") == {lютик.pk}
    assert listed(manager, "q=8 (495) 123-45-67") == {romashka.pk}
    assert listed(manager, "q=765-43") == {lютик.pk}
    assert listed(manager, "q=812 111") == {extra.pk}
    assert listed(manager, "q=") == {romashka.pk, lютик.pk, extra.pk}


def test_search_never_reaches_another_managers_clients(manager, other_manager):
    ClientFactory(owner=other_manager, name="ООО Ромашка")

    assert listed(manager, "q=Ромашка") == set()


def test_updated_since_returns_only_the_clients_changed_after_the_timestamp(manager):
    old = ClientFactory(owner=manager)
    fresh = ClientFactory(owner=manager)
    Client.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    response = api_as(manager).get("/api/v1/clients/", {"updated_since": since})

    assert {row["id"] for row in response.json()["results"]} == {fresh.pk}


@pytest.mark.parametrize(
    "query", ["status=sleeping", "owner=ivanov", "segment=1,2", "updated_since=2026-02-30", "category=z"]
)
def test_a_bad_client_filter_value_is_400(manager, query):
    response = api_as(manager).get(f"/api/v1/clients/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in field_errors(response)


def test_an_unknown_ordering_is_ignored_rather_than_an_error(manager):
    ClientFactory(owner=manager)

    assert api_as(manager).get("/api/v1/clients/?ordering=owner_name").status_code == 200


def test_contacts_are_added_and_changed_on_own_clients_only(manager, other_manager):
    own = ClientFactory(owner=manager)
    foreign = ClientFactory(owner=other_manager)
    api = api_as(manager)

    created = api.post(
        "/api/v1/contacts/", {"client": own.pk, "full_name": "Иванов Иван", "mobile": "8 916 123 45 67"}, format="json"
    )
    refused = api.post("/api/v1/contacts/", {"client": foreign.pk, "full_name": "Петров"}, format="json")
    bad = api.post("/api/v1/contacts/", {"client": own.pk, "full_name": "Сидоров", "email": "x@", "phone": "1"})

    assert created.status_code == 201, created.content
    assert created.json()["mobile"] == "+79161234567"
    assert refused.status_code == 400
    assert "client" in field_errors(refused)
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"email"}
    assert ContactPerson.objects.count() == 1


def test_a_contact_update_keeps_its_client(manager):
    contact = ContactFactory(client=ClientFactory(owner=manager))
    other = ClientFactory(owner=manager)

    response = api_as(manager).patch(f"/api/v1/contacts/{contact.pk}/", {"client": other.pk, "position": "ГД"})

    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.client_id, contact.position) == (contact.client_id, "ГД")
    assert contact.client_id != other.pk


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "base_manager", "service_owner"])
def test_only_the_head_and_the_admin_change_products(db, request, role):
    product = ProductFactory(name="Камера", price="1000.00")
    api = api_as(request.getfixturevalue(role))

    created = api.post("/api/v1/products/", {"sku": "CAM-1", "name": "Камера 2"}, format="json")
    changed = api.patch(f"/api/v1/products/{product.pk}/", {"price": "1.00"}, format="json")

    assert (created.status_code, changed.status_code) == (403, 403)
    product.refresh_from_db()
    assert (Product.objects.count(), str(product.price)) == (1, "1000.00")


@pytest.mark.parametrize("role", ["head", "admin_user"])
def test_the_head_and_the_admin_keep_the_catalogue(request, role):
    api = api_as(request.getfixturevalue(role))
    category = CategoryFactory(name="Камеры")

    created = api.post(
        "/api/v1/products/",
        {"sku": "CAM-1", "name": "Камера", "category": category.pk, "price": "990.50"},
        format="json",
    )
    duplicate = api.post("/api/v1/products/", {"sku": "CAM-1", "name": "Ещё"}, format="json")
    negative = api.post("/api/v1/products/", {"sku": "CAM-2", "name": "Минус", "price": "-1"}, format="json")
    retired = api.patch(f"/api/v1/products/{created.json()['id']}/", {"is_active": False}, format="json")

    assert created.status_code == 201, created.content
    assert (created.json()["price"], created.json()["category_name"]) == ("990.50", "Камеры")
    assert duplicate.status_code == 400
    assert "sku" in field_errors(duplicate)
    assert negative.status_code == 400
    assert "price" in field_errors(negative)
    assert retired.json()["is_active"] is False


def test_products_filter_by_category_activity_and_search(manager):
    camera = ProductFactory(name="Камера IP", sku="CAM-1")
    old = ProductFactory(name="Кабель", sku="CBL-1", is_active=False)
    api = api_as(manager)

    def found(query):
        response = api.get(f"/api/v1/products/?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert found("q=камера") == {camera.pk}
    assert found("q=cbl") == {old.pk}
    assert found("is_active=false") == {old.pk}
    assert found(f"category={camera.category_id}") == {camera.pk}
    assert api.get("/api/v1/products/?is_active=perhaps").status_code == 400
