"""Stock requests (DOMAIN.md section 4): who records them, the head's answers, the database's invariants, and the
head's list grouped by item with totals."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.filters import StockRequestFilterSet
from crm.models import ChangeLog, StockRequest
from crm.selectors.stock import stock_groups
from crm.services.stock import stock_request_answer, stock_request_create
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory


@pytest.fixture
def own_client(manager):
    return ClientFactory(owner=manager, name="ООО «Альфа»")


def request_for(by, client, **kwargs):
    kwargs.setdefault("quantity", "10")
    return stock_request_create(by=by, client=client, **kwargs)


# --- recording ------------------------------------------------------------------------------------------------------


def test_a_manager_records_a_catalogue_product_with_its_unit_and_the_change_is_logged(manager, own_client):
    product = ProductFactory(name="Видеорегистратор 8 каналов", unit="шт")
    created = request_for(manager, own_client, product=product, quantity="3", note="Каждый месяц")
    assert (created.product, created.quantity, created.unit, created.status) == (
        product,
        Decimal("3"),
        "шт",
        StockRequest.Status.PENDING,
    )
    assert created.requested_by == manager and created.answered_at is None
    log = ChangeLog.objects.get(object_id=created.pk, content_type__model="stockrequest")
    assert log.action == ChangeLog.Action.CREATE and log.by == manager


def test_an_item_not_in_the_catalogue_is_named_in_words_with_a_decimal_quantity(manager, own_client):
    created = request_for(manager, own_client, item_name="  Кабель   UTP  уличный ", quantity="2,5", unit="бухта")
    assert (created.item_name, created.quantity, created.unit) == ("Кабель UTP уличный", Decimal("2.5"), "бухта")
    assert created.item_label == "Кабель UTP уличный"


def test_a_quantity_typed_the_russian_way_is_read(manager, own_client):
    assert request_for(manager, own_client, item_name="Кабель", quantity="1\u00a0234,5").quantity == Decimal("1234.5")


def test_a_whole_category_may_be_asked_for(manager, own_client):
    category = CategoryFactory(name="СКУД")
    assert request_for(manager, own_client, category=category).item_label == "СКУД"


def test_nothing_or_two_items_at_once_are_refused(manager, own_client):
    with pytest.raises(ValidationError) as nothing:
        request_for(manager, own_client)
    assert "product" in nothing.value.message_dict
    with pytest.raises(ValidationError) as two:
        request_for(manager, own_client, product=ProductFactory(), item_name="Что-то ещё")
    assert "product" in two.value.message_dict
    assert not StockRequest.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "", "1e400", "0.0001", "1000000000", None])
def test_a_quantity_that_is_not_a_positive_number_is_refused(manager, own_client, quantity):
    with pytest.raises(ValidationError) as refused:
        request_for(manager, own_client, item_name="Домофон", quantity=quantity)
    assert "quantity" in refused.value.message_dict


def test_a_manager_may_not_record_for_another_managers_client(manager, other_manager):
    theirs = ClientFactory(owner=other_manager)
    with pytest.raises(PermissionDenied):
        request_for(manager, theirs, item_name="Домофон")


def test_a_team_lead_records_for_his_team_and_the_head_for_anyone(team_lead, head, manager, other_manager):
    assert request_for(team_lead, ClientFactory(owner=manager), item_name="Домофон").requested_by == team_lead
    assert request_for(head, ClientFactory(owner=other_manager), item_name="Домофон").requested_by == head
    with pytest.raises(PermissionDenied):
        request_for(team_lead, ClientFactory(owner=other_manager), item_name="Домофон")


@pytest.mark.parametrize("who", ["vip_head", "base_manager", "service_owner"])
def test_roles_outside_sales_record_no_requests(request, who, manager):
    with pytest.raises(PermissionDenied):
        request_for(request.getfixturevalue(who), ClientFactory(owner=manager), item_name="Домофон")


# --- answering ------------------------------------------------------------------------------------------------------


def test_the_head_marks_a_request_ordered_and_the_answer_is_logged(head, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    now = timezone.make_aware(datetime(2026, 11, 22, 10, 0))
    answered = stock_request_answer(by=head, request=created, status="ordered", answer="Придёт 1 декабря", now=now)
    assert (answered.status, answered.answer, answered.answered_by, answered.answered_at) == (
        "ordered",
        "Придёт 1 декабря",
        head,
        now,
    )
    log = ChangeLog.objects.filter(object_id=created.pk, action=ChangeLog.Action.UPDATE).get()
    assert log.changes["status"] == ["pending", "ordered"] and log.by == head


def test_a_refusal_needs_a_reason(head, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    with pytest.raises(ValidationError) as refused:
        stock_request_answer(by=head, request=created, status="refused", answer="  ")
    assert "answer" in refused.value.message_dict
    answered = stock_request_answer(by=head, request=created, status="refused", answer="Нет поставщика")
    assert answered.status == "refused"


def test_only_ordered_or_refused_is_an_answer(head, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    for status in ("pending", "maybe", ""):
        with pytest.raises(ValidationError) as refused:
            stock_request_answer(by=head, request=created, status=status, answer="x")
        assert "status" in refused.value.message_dict


@pytest.mark.parametrize("who", ["manager", "team_lead", "vip_head", "base_manager", "service_owner"])
def test_nobody_but_the_head_answers(request, who, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    with pytest.raises(PermissionDenied):
        stock_request_answer(by=request.getfixturevalue(who), request=created, status="ordered", answer="")
    created.refresh_from_db()
    assert created.status == StockRequest.Status.PENDING


def test_the_admin_answers_like_the_head(admin_user, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    assert stock_request_answer(by=admin_user, request=created, status="ordered").status == "ordered"


def test_a_later_answer_replaces_the_earlier_one(head, manager, own_client):
    created = request_for(manager, own_client, item_name="Домофон")
    stock_request_answer(by=head, request=created, status="refused", answer="Нет поставщика")
    answered = stock_request_answer(by=head, request=created, status="ordered", answer="Нашли поставщика")
    assert (answered.status, answered.answer) == ("ordered", "Нашли поставщика")
    assert ChangeLog.objects.filter(object_id=created.pk, action=ChangeLog.Action.UPDATE).count() == 2


# --- the database's invariants --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"item_name": ""},
        {"item_name": "Домофон", "with_product": True},
        {"item_name": "Домофон", "quantity": Decimal("0")},
        {"item_name": "Домофон", "unit": ""},
        {"item_name": "Домофон", "status": "ordered"},
        {"item_name": "Домофон", "status": "refused", "answered_at": "now"},
        {"item_name": "Домофон", "status": "lost", "answered_at": "now"},
        {"item_name": "Домофон", "answered_at": "now"},
    ],
)
def test_the_database_refuses_a_request_that_breaks_an_invariant(manager, own_client, fields):
    fields = dict(fields)
    if fields.pop("with_product", False):
        fields["product"] = ProductFactory()
    if fields.get("answered_at") == "now":
        fields["answered_at"] = timezone.now()
    fields.setdefault("quantity", Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StockRequest.objects.create(client=own_client, requested_by=manager, **fields)


# --- visibility and the grouped list --------------------------------------------------------------------------------


def test_visible_to_follows_the_clients_owner(
    manager, teammate, other_manager, team_lead, head, admin_user, vip_head, service_owner, base_manager
):
    mine = request_for(manager, ClientFactory(owner=manager), item_name="Домофон")
    teammates = request_for(teammate, ClientFactory(owner=teammate), item_name="Домофон")
    theirs = request_for(other_manager, ClientFactory(owner=other_manager), item_name="Домофон")

    def seen(user):
        return set(StockRequest.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(manager) == {mine.pk}
    assert seen(other_manager) == {theirs.pk}
    assert seen(team_lead) == {mine.pk, teammates.pk}
    assert seen(head) == seen(admin_user) == {mine.pk, teammates.pk, theirs.pk}
    assert seen(vip_head) == seen(service_owner) == seen(base_manager) == set()


def test_the_list_groups_by_item_and_unit_with_totals_and_filters(head, manager, other_manager):
    alfa = ClientFactory(owner=manager, name="Альфа")
    beta = ClientFactory(owner=other_manager, name="Бета")
    recorder = ProductFactory(name="Регистратор")
    request_for(manager, alfa, product=recorder, quantity="3")
    request_for(other_manager, beta, product=recorder, quantity="2")
    request_for(manager, alfa, item_name="Кабель UTP", quantity="2", unit="бухта")
    request_for(other_manager, beta, item_name="кабель utp", quantity="1.5", unit="бухта")
    request_for(other_manager, beta, item_name="Кабель UTP", quantity="100", unit="м")
    answered = request_for(manager, alfa, category=CategoryFactory(name="Аккумуляторы"), quantity="10")
    stock_request_answer(by=head, request=answered, status="ordered")

    _page, groups = stock_groups(requests=StockRequest.objects.visible_to(head), per_page=30)
    summary = [(g.label.lower(), g.unit, g.total, g.requests, g.clients, g.pending) for g in groups]
    assert summary == [
        ("аккумуляторы", "шт", Decimal("10"), 1, 1, 0),
        ("кабель utp", "бухта", Decimal("3.5"), 2, 2, 2),
        ("кабель utp", "м", Decimal("100"), 1, 1, 1),
        ("регистратор", "шт", Decimal("5"), 2, 2, 2),
    ]
    assert [row.client.name for row in groups[3].rows] == ["Альфа", "Бета"]
    assert groups[3].product == recorder

    pending = StockRequestFilterSet({"status": "pending", "manager": manager.pk}, queryset=StockRequest.objects.all())
    _page, groups = stock_groups(requests=pending.qs, per_page=30)
    assert [(g.label, g.total) for g in groups] == [("Кабель UTP", Decimal("2")), ("Регистратор", Decimal("3"))]


def test_the_category_filter_finds_the_products_of_that_category_too(manager, own_client):
    cameras = CategoryFactory(name="Камеры")
    request_for(manager, own_client, product=ProductFactory(category=cameras))
    request_for(manager, own_client, category=cameras)
    request_for(manager, own_client, item_name="Домофон")
    found = StockRequestFilterSet({"category": cameras.pk}, queryset=StockRequest.objects.all()).qs
    assert found.count() == 2
