"""Tool 2 is the manager's own page: the head's items less his strikes, plus his own lines; read-only for others."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from crm.models import ChangeLog
from planning.models import FeaturedItem, Tool2Item, Tool2Strike
from planning.rules.tools import TOOL2_PAGE_LINES
from planning.selectors.work import tool2_list
from planning.services.tools import tool2_item_add, tool2_item_remove, tool2_strike
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ProductFactory


def head_item(name, kind="new", **extra):
    today = timezone.localdate()
    return FeaturedItem.objects.create(product=ProductFactory(name=name), kind=kind, valid_from=today, **extra)


def names(tool2):
    return [(kind, line.name) for kind, _, lines in tool2.groups for line in lines]


def page_lines(html):
    return html.count('data-testid="tool2-item"')


# --- the manager's own list ----------------------------------------------------------------------------------


def test_a_manager_adds_a_product_and_a_free_text_line_to_his_own_list(client, manager):
    head_item("Камера отдела")
    product = ProductFactory(name="Домофон Z")
    client.force_login(manager)

    response = client.post(reverse("tool2"), {"kind": "promotion", "product": product.pk, "note": "−15 % до пятницы"})
    assert response.status_code == 302
    response = client.post(reverse("tool2"), {"kind": "high_motivation", "text": "Бренд Hikvision: бонус 2 %"})
    assert response.status_code == 302

    html = client.get(reverse("tool2")).content.decode()
    assert "Камера отдела" in html and "Домофон Z" in html and "Бренд Hikvision: бонус 2 %" in html
    assert "−15 % до пятницы" in html
    assert html.count('data-source="own"') == 2 and html.count('data-source="department"') == 1
    assert 'data-testid="tool2-own-form"' in html
    assert ChangeLog.objects.filter(content_type__model="tool2item", by=manager).count() == 2


def test_a_manager_strikes_out_a_heads_item_for_himself_only_and_puts_it_back(client, manager, other_manager):
    kept = head_item("Регистратор 8 каналов")
    struck = head_item("Кабель UTP", kind="clearance")
    client.force_login(manager)

    assert client.post(reverse("tool2"), {"strike": struck.pk}).status_code == 302

    html = client.get(reverse("tool2")).content.decode()
    assert page_lines(html) == 1 and "Регистратор 8 каналов" in html
    assert 'data-testid="tool2-struck-item"' in html and "<s>Кабель UTP</s>" in html
    client.force_login(other_manager)
    assert page_lines(client.get(reverse("tool2")).content.decode()) == 2  # the others still have it
    assert FeaturedItem.objects.filter(pk=struck.pk).exists()

    client.force_login(manager)
    client.post(reverse("tool2"), {"unstrike": struck.pk})
    html = client.get(reverse("tool2")).content.decode()
    assert page_lines(html) == 2 and 'data-testid="tool2-struck"' not in html
    assert kept.pk and not Tool2Strike.objects.exists()


def test_striking_out_his_own_line_removes_it(client, manager):
    item = Tool2Item.objects.create(manager=manager, kind="new", text="Новая серия камер")
    client.force_login(manager)

    assert client.post(reverse("tool2"), {"remove": item.pk}).status_code == 302

    assert not Tool2Item.objects.exists()
    assert "Новая серия камер" not in client.get(reverse("tool2")).content.decode()


def test_another_manager_does_not_see_or_remove_his_lines(client, manager, other_manager, teammate):
    mine = Tool2Item.objects.create(manager=manager, kind="new", text="Только моё")
    for someone in (other_manager, teammate):
        client.force_login(someone)
        assert "Только моё" not in client.get(reverse("tool2")).content.decode()
        assert "Только моё" not in client.get(reverse("tool2_print")).content.decode()
        assert client.get(reverse("tool2"), {"manager": manager.pk}).status_code == 404
        assert client.post(reverse("tool2"), {"remove": mine.pk}).status_code == 404
    assert Tool2Item.objects.filter(pk=mine.pk).exists()


def test_the_print_page_shows_his_own_list(client, manager):
    head_item("Камера отдела")
    struck = head_item("Вычеркнутая камера")
    Tool2Strike.objects.create(manager=manager, item=struck)
    Tool2Item.objects.create(manager=manager, kind="clearance", text="Остатки кабеля 305 м")
    client.force_login(manager)

    html = client.get(reverse("tool2_print")).content.decode()

    assert 'data-testid="tool2-sheet"' in html
    assert "Камера отдела" in html and "Остатки кабеля 305 м" in html
    assert "Вычеркнутая камера" not in html
    assert str(manager) in html


def test_bad_input_keeps_what_was_typed_and_never_500s(client, manager):
    product = ProductFactory(name="Блок питания")
    client.force_login(manager)

    response = client.post(reverse("tool2"), {"kind": "new", "note": "без товара"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a product or type the item." in html and 'value="без товара"' in html

    response = client.post(reverse("tool2"), {"kind": "new", "product": product.pk, "text": "и текст"})
    assert response.status_code == 400 and "not both" in response.content.decode()

    for data in ({"kind": "nonsense", "text": "x"}, {"kind": "new", "product": "abc"}, {"kind": ["a", "b"]}):
        assert client.post(reverse("tool2"), data).status_code == 400, data
    for data in ({"strike": "abc"}, {"unstrike": "9" * 30}, {"remove": ""}, {"strike": "999999"}):
        assert client.post(reverse("tool2"), data).status_code == 404, data
    assert not Tool2Item.objects.exists() and not Tool2Strike.objects.exists()


def test_his_list_refuses_a_line_past_one_a4_page(manager):
    today = timezone.localdate()
    Tool2Item.objects.bulk_create(
        [Tool2Item(manager=manager, kind="new", text=f"Позиция {i}") for i in range(TOOL2_PAGE_LINES)]
    )

    with pytest.raises(ValidationError, match="A4"):
        tool2_item_add(by=manager, kind="new", text="Ещё одна", today=today)

    assert Tool2Item.objects.count() == TOOL2_PAGE_LINES


def test_an_expired_heads_item_is_off_every_list(manager):
    today = timezone.localdate()
    head_item("Старая акция", valid_to=today - timedelta(days=1))
    future = head_item("Будущая акция")
    FeaturedItem.objects.filter(pk=future.pk).update(valid_from=today + timedelta(days=3))
    head_item("Текущая акция", kind="promotion")

    assert names(tool2_list(user=manager, manager=manager, today=today)) == [("promotion", "Текущая акция")]


# --- who reads whose list ------------------------------------------------------------------------------------


def test_a_team_lead_reads_his_teammates_list_read_only(client, team_lead, manager, other_manager):
    head_item("Камера отдела")
    Tool2Item.objects.create(manager=manager, kind="new", text="Своё у Иванова")
    client.force_login(team_lead)

    html = client.get(reverse("tool2"), {"manager": manager.pk}).content.decode()

    assert "Своё у Иванова" in html and 'data-testid="tool2-read-only"' in html
    assert 'data-testid="tool2-own-form"' not in html and 'name="strike"' not in html
    assert 'data-testid="chooser"' in html
    assert client.get(reverse("tool2"), {"manager": other_manager.pk}).status_code == 404
    item = Tool2Item.objects.get()
    assert client.post(reverse("tool2"), {"remove": item.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        tool2_item_remove(by=team_lead, item=item)
    assert Tool2Item.objects.filter(pk=item.pk).exists()
    assert "Своё у Иванова" in client.get(reverse("tool2_print"), {"manager": manager.pk}).content.decode()


def test_the_head_views_any_managers_list_and_still_edits_the_department_items(client, head, manager):
    struck = head_item("Вычеркнутая")
    Tool2Strike.objects.create(manager=manager, item=struck)
    Tool2Item.objects.create(manager=manager, kind="promotion", text="Акция Иванова")
    client.force_login(head)

    department = client.get(reverse("tool2")).content.decode()
    assert 'data-testid="tool2-form"' in department and "Вычеркнутая" in department
    assert "Акция Иванова" not in department

    his = client.get(reverse("tool2"), {"manager": manager.pk}).content.decode()
    assert "Акция Иванова" in his and 'data-testid="tool2-read-only"' in his
    assert page_lines(his) == 1

    product = ProductFactory(name="Новинка отдела")
    response = client.post(
        reverse("tool2"), {"product": product.pk, "kind": "new", "valid_from": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    assert FeaturedItem.objects.filter(product=product).exists()
    with pytest.raises(PermissionDenied):
        tool2_strike(by=head, item=struck)


def test_people_outside_sales_get_403(client, service_owner, vip_head):
    for user in (service_owner, vip_head):
        client.force_login(user)
        assert client.get(reverse("tool2")).status_code == 403
        assert client.post(reverse("tool2"), {"kind": "new", "text": "x"}).status_code == 403
    assert not Tool2Item.objects.exists()


def test_anonymous_goes_to_login(client, db):
    response = client.get(reverse("tool2"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- queries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tool2", "tool2_print"])
def test_the_tool2_pages_make_a_fixed_number_of_queries(client, manager, name, django_assert_max_num_queries):
    for i in range(20):
        item = head_item(f"Камера {i}")
        if i % 3 == 0:
            Tool2Strike.objects.create(manager=manager, item=item)
        Tool2Item.objects.create(manager=manager, kind="clearance", product=ProductFactory(name=f"Свой {i}"))
        Tool2Item.objects.create(manager=manager, kind="new", text=f"Текст {i}")
    client.force_login(manager)

    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))

    assert response.status_code == 200
    assert page_lines(response.content.decode()) == 20 - 7 + 40


# --- API -----------------------------------------------------------------------------------------------------


def test_api_a_manager_adds_strikes_and_deletes_on_his_own_list(manager, other_manager):
    featured = head_item("Камера отдела")
    api = api_as(manager)

    created = api.post(reverse("tool2-item-list"), {"kind": "new", "text": "Своя новинка"}, format="json")
    assert created.status_code == 201 and created.json()["manager"] == manager.pk
    assert api.post(reverse("tool2-strike"), {"item": featured.pk}, format="json").status_code == 200

    body = api.get(reverse("tool2-list")).json()
    assert [(line["origin"], line["name"]) for line in body["lines"]] == [("own", "Своя новинка")]
    assert [row["id"] for row in body["struck"]] == [featured.pk]

    other = api_as(other_manager)
    assert other.get(reverse("tool2-item-list")).json()["results"] == []
    assert other.delete(reverse("tool2-item-detail", args=[created.json()["id"]])).status_code == 404
    assert api.delete(reverse("tool2-item-detail", args=[created.json()["id"]])).status_code == 204
    assert api.post(reverse("tool2-unstrike"), {"item": featured.pk}, format="json").json()["lines"][0]["origin"] == (
        "department"
    )


def test_api_bad_input_is_400_with_field_errors(manager):
    api = api_as(manager)

    assert "text" in field_errors(api.post(reverse("tool2-item-list"), {"kind": "new"}, format="json"))
    assert "kind" in field_errors(api.post(reverse("tool2-item-list"), {"kind": "x", "text": "y"}, format="json"))
    assert "item" in field_errors(api.post(reverse("tool2-strike"), {"item": "abc"}, format="json"))
    assert "item" in field_errors(api.post(reverse("tool2-strike"), {"item": 999999}, format="json"))
    assert api.get(reverse("tool2-list"), {"manager": "x"}).status_code == 400
    assert not Tool2Item.objects.exists()


@pytest.mark.russian
def test_the_manager_reads_his_tool2_in_russian(client, manager):
    Tool2Item.objects.create(manager=manager, kind="new", text="Своя новинка")
    client.force_login(manager)

    html = client.get(reverse("tool2")).content.decode()

    assert "Добавить в мой список" in html and "моё" in html
