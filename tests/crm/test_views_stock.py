"""The stock request pages: recorded from the client card and after a call, the head's list with its answers and
Excel, a seller's own requests with the answers, and no one else's."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crm.models import StockRequest
from crm.services.stock import stock_request_answer, stock_request_create
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, UserFactory

LIST = reverse("stock_request_list")


def create_url(client_obj) -> str:
    return reverse("stock_request_create", args=[client_obj.pk])


def answer_url(stock_request) -> str:
    return reverse("stock_request_answer", args=[stock_request.pk])


def recorded(by, client_obj, **kwargs) -> StockRequest:
    kwargs.setdefault("quantity", "5")
    return stock_request_create(by=by, client=client_obj, **kwargs)


# --- recording ------------------------------------------------------------------------------------------------------


def test_the_client_card_shows_the_form_and_the_requests_with_their_answers(client, manager, head):
    own = ClientFactory(owner=manager)
    stock_request_answer(
        by=head,
        request=recorded(manager, own, item_name="Шлагбаум G4000"),
        status="refused",
        answer="Снят с производства",
    )
    client.force_login(manager)
    html = client.get(reverse("client_detail", args=[own.pk])).content.decode()
    assert 'data-testid="stock-form"' in html
    assert "Шлагбаум G4000" in html and "Снят с производства" in html


def test_a_manager_records_from_the_card_and_goes_back_to_it(client, manager):
    own = ClientFactory(owner=manager)
    product = ProductFactory(name="Блок питания 12В", unit="шт")
    card = reverse("client_detail", args=[own.pk])
    client.force_login(manager)
    response = client.post(
        create_url(own), {"product": product.pk, "quantity": "20", "note": "Ежемесячно", "next": card}
    )
    assert response.status_code == 302 and response["Location"] == card
    created = StockRequest.objects.get()
    assert (created.client, created.product, created.quantity, created.unit, created.requested_by) == (
        own,
        product,
        Decimal("20"),
        "шт",
        manager,
    )


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    response = client.post(create_url(own), {"item_name": "Кабель КСПВ", "quantity": "ноль", "note": "Для объекта"})
    assert response.status_code == 400
    assert "quantity" in response.context["form"].errors
    html = response.content.decode()
    assert "Кабель КСПВ" in html and "ноль" in html and "Для объекта" in html
    response = client.post(create_url(own), {"quantity": "3"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not StockRequest.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"product": "abc", "quantity": "1"},
        {"product": "999999", "quantity": "1"},
        {"category": "-1", "quantity": "1"},
        {"item_name": "x" * 300, "quantity": "1"},
        {"item_name": "Домофон", "quantity": "1" * 30},
        {"item_name": "Домофон", "quantity": "NaN"},
        {"item_name": "Домофон", "quantity": "Infinity"},
        {"item_name": "Домофон", "quantity": "1", "unit": "u" * 40},
        {},
    ],
)
def test_whatever_is_posted_the_answer_is_a_form_with_errors_never_a_500(client, manager, data):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    response = client.post(create_url(own), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not StockRequest.objects.exists()


def test_a_manager_cannot_open_the_form_for_another_managers_client(client, manager, other_manager):
    theirs = ClientFactory(owner=other_manager)
    client.force_login(manager)
    assert client.get(create_url(theirs)).status_code == 404
    assert client.post(create_url(theirs), {"item_name": "Домофон", "quantity": "1"}).status_code == 404
    assert not StockRequest.objects.exists()


@pytest.mark.parametrize("who", ["vip_head", "base_manager", "service_owner"])
def test_roles_outside_sales_get_no_form_and_no_list(client, request, who, manager):
    own = ClientFactory(owner=manager)
    client.force_login(request.getfixturevalue(who))
    assert client.get(create_url(own)).status_code in (403, 404)
    assert client.post(create_url(own), {"item_name": "Домофон", "quantity": "1"}).status_code in (403, 404)
    assert client.get(LIST).status_code == 403
    assert not StockRequest.objects.exists()


def test_after_a_call_the_manager_is_taken_to_the_form_with_the_client_preselected(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    call = reverse("call_log", args=[own.pk])
    assert 'data-testid="call-ask-stock"' in client.get(call).content.decode()
    response = client.post(
        call,
        {
            "direction": "out",
            "call_result": "reached",
            "next_subject": "Перезвонить",
            "next_due_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "ask_stock": "on",
            "next": "/",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"{create_url(own)}?next=%2F"
    form_page = client.get(response["Location"])
    assert form_page.status_code == 200 and own.name in form_page.content.decode()
    response = client.post(response["Location"], {"item_name": "Видеодомофон", "quantity": "5", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert StockRequest.objects.get().client == own


def test_a_call_without_the_tick_goes_where_it_went_before(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    response = client.post(
        reverse("call_log", args=[own.pk]),
        {
            "direction": "out",
            "call_result": "reached",
            "next_subject": "Перезвонить",
            "next_due_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "next": "/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"


# --- the list and the answers ---------------------------------------------------------------------------------------


def test_the_head_sees_every_request_grouped_and_marks_one_ordered(client, head, manager, other_manager):
    alfa = ClientFactory(owner=manager, name="Альфа")
    beta = ClientFactory(owner=other_manager, name="Бета")
    mine = recorded(manager, alfa, item_name="Кабель UTP", quantity="2", unit="бухта")
    recorded(other_manager, beta, item_name="кабель utp", quantity="1.5", unit="бухта")
    client.force_login(head)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Альфа" in html and "Бета" in html and "3,5 бухта" in html
    assert html.count('data-testid="stock-answer-form"') == 2
    response = client.post(answer_url(mine), {"status": "ordered", "answer": "Будет в пятницу", "next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    mine.refresh_from_db()
    assert (mine.status, mine.answer, mine.answered_by) == ("ordered", "Будет в пятницу", head)


def test_a_refusal_without_a_reason_comes_back_with_the_error(client, head, manager):
    mine = recorded(manager, ClientFactory(owner=manager), item_name="Домофон")
    client.force_login(head)
    response = client.post(answer_url(mine), {"status": "refused", "answer": ""})
    assert response.status_code == 400
    assert "answer" in response.context["form"].errors
    for data in ({"status": "pending"}, {"status": "x" * 50}, {}):
        assert client.post(answer_url(mine), data).status_code == 400
    mine.refresh_from_db()
    assert mine.status == StockRequest.Status.PENDING


def test_a_manager_cannot_answer_and_sees_the_heads_answer(client, head, manager):
    mine = recorded(manager, ClientFactory(owner=manager, name="Альфа"), item_name="Домофон")
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert 'data-testid="stock-answer-form"' not in html and "Альфа" in html
    assert client.post(answer_url(mine), {"status": "ordered"}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == StockRequest.Status.PENDING
    stock_request_answer(by=head, request=mine, status="refused", answer="Нет у поставщика")
    html = client.get(LIST).content.decode()
    assert "Нет у поставщика" in html


def test_a_manager_sees_only_his_clients_requests(client, manager, other_manager):
    mine = recorded(manager, ClientFactory(owner=manager, name="Мой клиент"), item_name="Домофон")
    theirs = recorded(other_manager, ClientFactory(owner=other_manager, name="Чужой клиент"), item_name="Домофон")
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert "Мой клиент" in html and "Чужой клиент" not in html
    assert client.get(answer_url(theirs)).status_code == 404
    assert client.post(answer_url(theirs), {"status": "ordered"}).status_code == 404
    assert client.get(answer_url(mine)).status_code == 200


def test_a_team_lead_sees_his_teams_requests_and_cannot_answer(client, team_lead, manager, other_manager):
    ours = recorded(manager, ClientFactory(owner=manager, name="Клиент группы"), item_name="Домофон")
    recorded(other_manager, ClientFactory(owner=other_manager, name="Чужой клиент"), item_name="Домофон")
    client.force_login(team_lead)
    html = client.get(LIST).content.decode()
    assert "Клиент группы" in html and "Чужой клиент" not in html
    assert client.post(answer_url(ours), {"status": "ordered"}).status_code == 403


def test_the_admin_sees_all_and_answers(client, admin_user, manager, other_manager):
    theirs = recorded(other_manager, ClientFactory(owner=other_manager, name="Чужой клиент"), item_name="Домофон")
    client.force_login(admin_user)
    assert "Чужой клиент" in client.get(LIST).content.decode()
    assert client.post(answer_url(theirs), {"status": "ordered"}).status_code == 302


def test_bad_filters_never_break_the_page(client, head, manager):
    recorded(manager, ClientFactory(owner=manager, name="Альфа"), item_name="Домофон")
    client.force_login(head)
    for params in (
        {"status": "nonsense"},
        {"manager": "abc"},
        {"product": "-5"},
        {"created_from": "31.02.2026"},
        {"page": "zzz"},
        {"client": "0"},
    ):
        assert client.get(LIST, params).status_code == 200
        assert client.get(reverse("stock_request_export"), params).status_code == 200


def test_the_filters_narrow_the_list(client, head, manager, other_manager):
    cameras = CategoryFactory(name="Камеры")
    recorded(manager, ClientFactory(owner=manager, name="Альфа"), product=ProductFactory(category=cameras))
    recorded(other_manager, ClientFactory(owner=other_manager, name="Бета"), item_name="Домофон")
    client.force_login(head)
    html = client.get(LIST, {"manager": manager.pk}).content.decode()
    assert "Альфа" in html and "Бета" not in html
    html = client.get(LIST, {"category": cameras.pk}).content.decode()
    assert "Альфа" in html and "Бета" not in html
    html = client.get(LIST, {"status": "ordered"}).content.decode()
    assert "Альфа" not in html and "Бета" not in html


def workbook_rows(response):
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_excel_holds_every_filtered_request_with_its_answer(client, head, manager, other_manager):
    product = ProductFactory(name="Регистратор", sku="REG-8")
    alfa = ClientFactory(owner=manager, name="Альфа", inn="7707083893")
    answered = recorded(manager, alfa, product=product, quantity="3", note="Срочно")
    stock_request_answer(by=head, request=answered, status="ordered", answer="Заказали")
    recorded(other_manager, ClientFactory(owner=other_manager, name="Бета"), item_name="Кабель", quantity="2.5")
    client.force_login(head)
    response = client.get(reverse("stock_request_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = workbook_rows(response)
    assert len(header) == 15
    by_client = {row[3]: row for row in rows}
    assert set(by_client) == {"Альфа", "Бета"}
    alfa_row = by_client["Альфа"]
    assert alfa_row[:8] == ("Регистратор", "REG-8", str(product.category), "Альфа", "7707083893", str(manager), 3, "шт")
    assert (alfa_row[10], alfa_row[11], alfa_row[12], alfa_row[13]) == (
        "Срочно",
        str(StockRequest.Status.ORDERED.label),
        "Заказали",
        str(head),
    )
    assert by_client["Бета"][6] == 2.5
    only_mine = workbook_rows(client.get(reverse("stock_request_export"), {"manager": manager.pk}))[1:]
    assert [row[3] for row in only_mine] == ["Альфа"]


def test_a_managers_excel_holds_only_his_requests(client, manager, other_manager):
    recorded(manager, ClientFactory(owner=manager, name="Альфа"), item_name="Домофон")
    recorded(other_manager, ClientFactory(owner=other_manager, name="Бета"), item_name="Домофон")
    client.force_login(manager)
    rows = workbook_rows(client.get(reverse("stock_request_export")))[1:]
    assert [row[3] for row in rows] == ["Альфа"]


@pytest.mark.parametrize("viewer", ["head", "manager"])
def test_the_list_makes_as_many_queries_for_30_requests_as_for_3(
    client, request, viewer, manager, team, django_assert_max_num_queries
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    category = CategoryFactory()

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            owner = manager if i % 2 else UserFactory(team=team)
            product = ProductFactory(category=category) if i % 3 == 0 else None
            recorded(
                owner,
                ClientFactory(owner=owner, name=f"Клиент {i}"),
                product=product,
                item_name="" if product else f"Товар {i % 4}",
                quantity=str(i + 1),
            )

    make(3, 0)
    client.get(LIST)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    make(30, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["groups"]) > 3


def test_the_page_speaks_russian_with_russian_numbers_and_dates(client, head, manager):
    mine = recorded(manager, ClientFactory(owner=manager), item_name="Кабель UTP", quantity="1234.5", unit="м")
    client.force_login(head)
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Запросы о закупке" in html and "Stock requests" not in html
    assert "Итого: 1\u00a0234,5 м" in html
    assert timezone.localtime(mine.created_at).strftime("%d.%m.%Y") in html
    assert "Заказано" in html and "Отказать" in html
