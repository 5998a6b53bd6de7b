"""The clients list (filters, search, sort, pages, Excel, print) and the client card."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.calendar import month_shift
from crm.models import ChangeLog, ContactPerson, OwnershipChange
from crm.rules.stages import Stage
from crm.selectors.clients import client_sales_by_month
from crm.services.clients import client_reassign, client_update
from tests.crm.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    SaleLineFactory,
    SegmentFactory,
    make_inn,
)

EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//(?!testserver[/:"'])""", re.I
)


def names(response):
    return [c.name for c in response.context["clients"]]


def exported_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    return header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- the list -------------------------------------------------------------------------------------------------------


def test_a_manager_lists_only_his_own_clients_and_the_head_lists_everyone(client, manager, other_manager, head):
    ClientFactory(owner=manager, name="Альфа")
    ClientFactory(owner=other_manager, name="Бета")

    client.force_login(manager)
    own = client.get(reverse("client_list"))
    client.force_login(head)
    everyone = client.get(reverse("client_list"))

    assert names(own) == ["Альфа"]
    assert "Бета" not in own.content.decode()
    assert own.context["show_owner"] is False
    assert "owner" not in own.context["filter_form"].fields
    assert names(everyone) == ["Альфа", "Бета"]
    assert everyone.context["show_owner"] is True


def test_the_list_filters_by_segment_region_category_source_status_and_owner(client, head, manager, other_manager):
    retail = SegmentFactory(name="Розница")
    ClientFactory(owner=manager, name="Нужный", segment=retail, region="Казань", category="a", source="warm")
    ClientFactory(owner=manager, name="Другой сегмент", region="Казань", category="a", source="warm")
    ClientFactory(owner=manager, name="Другой регион", segment=retail, region="Москва", category="a", source="warm")
    ClientFactory(owner=manager, name="Потерян", segment=retail, region="Казань", category="a", status="lost")
    ClientFactory(owner=other_manager, name="Чужой", segment=retail, region="Казань", category="a", source="warm")
    client.force_login(head)

    def listed(**params):
        return names(client.get(reverse("client_list"), params))

    assert listed(segment=retail.pk, region="казань", status="active") == ["Нужный", "Чужой"]
    assert listed(segment=retail.pk, source="warm", owner=manager.pk) == ["Другой регион", "Нужный"]
    assert listed(category="a", status="lost") == ["Потерян"]
    assert listed(owner=other_manager.pk) == ["Чужой"]


def test_a_manager_cannot_reach_another_managers_clients_through_the_owner_filter(client, manager, other_manager):
    ClientFactory(owner=manager, name="Мой")
    ClientFactory(owner=other_manager, name="Чужой")
    client.force_login(manager)

    response = client.get(reverse("client_list"), {"owner": other_manager.pk})
    exported = client.get(reverse("client_export"), {"owner": other_manager.pk})

    assert names(response) == ["Мой"]
    header, rows = exported_rows(exported)
    assert [row[header[0]] for row in rows] == ["Мой"]


def test_the_search_finds_a_client_by_name_inn_start_or_phone_written_any_way(client, manager):
    ClientFactory(owner=manager, name="ООО Ромашка", inn=make_inn(111), phone="+74951234567")
    ClientFactory(owner=manager, name="ООО Лютик", inn=make_inn(222), phone="+78121112233")
    client.force_login(manager)

    def found(q):
        return names(client.get(reverse("client_list"), {"q": q}))

    assert found("ромаш") == ["ООО Ромашка"]
    assert found(make_inn(222)[:9]) == ["ООО Лютик"]
    assert found(make_inn(222)[:6]) == ["ООО Лютик", "ООО Ромашка"]
    assert found("8 (495) 123-45-67") == ["ООО Ромашка"]
    assert found("111-22-33") == ["ООО Лютик"]
    response = client.get(reverse("client_list"), {"q": "ромаш"})
    assert 'value="ромаш"' in response.content.decode()


def test_the_list_sorts_by_name_owner_last_purchase_and_turnover(client, head, manager, teammate):
    today = timezone.localdate()
    big = ClientFactory(owner=teammate, name="Большой")
    small = ClientFactory(owner=manager, name="Малый")
    ClientFactory(owner=manager, name="Новый")
    SaleLineFactory(client=big, date=today - timedelta(days=200), amount=Decimal("900000.00"))
    SaleLineFactory(client=big, date=today - timedelta(days=500), amount=Decimal("5000000.00"))  # older than 12 months
    SaleLineFactory(client=small, date=today - timedelta(days=5), amount=Decimal("1000.00"))
    client.force_login(head)

    def order(sort):
        return names(client.get(reverse("client_list"), {"sort": sort}))

    assert order("name") == ["Большой", "Малый", "Новый"]
    assert order("-name") == ["Новый", "Малый", "Большой"]
    assert order("-turnover") == ["Большой", "Малый", "Новый"]
    assert order("-last_purchase") == ["Малый", "Большой", "Новый"]
    assert order("last_purchase") == ["Новый", "Большой", "Малый"]
    owners_sorted = sorted(
        [(manager.last_name, "Малый"), (manager.last_name, "Новый"), (teammate.last_name, "Большой")]
    )
    assert order("owner") == [name for _, name in owners_sorted]
    rows = {c.name: c for c in client.get(reverse("client_list")).context["clients"]}
    assert rows["Большой"].turnover_12m == Decimal("900000.00")
    assert rows["Новый"].turnover_12m == Decimal("0.00") and rows["Новый"].last_purchase is None
    html = client.get(reverse("client_list"), {"sort": "-turnover", "region": "Москва"}).content.decode()
    turnover_link = re.search(r'href="\?([^"]*)" data-testid="sort-turnover">[^<]*▼', html)
    assert turnover_link and sorted(turnover_link.group(1).split("&amp;")) == [
        "region=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0",
        "sort=turnover",
    ]


def test_the_list_shows_50_clients_a_page_and_keeps_the_filters_across_pages(client, manager):
    for i in range(55):
        ClientFactory(owner=manager, name=f"Клиент {i:02d}", region="Тверь")
    client.force_login(manager)

    first = client.get(reverse("client_list"), {"region": "Тверь"})
    second = client.get(reverse("client_list"), {"region": "Тверь", "page": 2})

    assert len(first.context["clients"]) == 50
    assert names(second) == [f"Клиент {i}" for i in range(50, 55)]
    assert "?region=%D0%A2%D0%B2%D0%B5%D1%80%D1%8C&amp;page=2" in first.content.decode()


def test_a_bad_filter_value_is_refused_with_a_message_and_keeps_what_was_typed(client, manager):
    ClientFactory(owner=manager, name="Мой")
    client.force_login(manager)

    response = client.get(reverse("client_list"), {"status": "nonsense", "q": "Мо"})
    export = client.get(reverse("client_export"), {"status": "nonsense"})

    assert response.status_code == 400
    assert response.context["filter_errors"]
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert 'value="Мо"' in html
    assert names(response) == []
    assert export.status_code == 400


def test_the_excel_export_holds_exactly_the_filtered_rows_in_the_lists_order(client, head, manager, other_manager):
    today = timezone.localdate()
    for i in range(3):
        c = ClientFactory(owner=manager, name=f"Казань {i}", region="Казань", inn=make_inn(500 + i))
        SaleLineFactory(client=c, date=today - timedelta(days=10), amount=Decimal(1000 * (i + 1)))
    ClientFactory(owner=other_manager, name="Казань чужой", region="Казань")
    ClientFactory(owner=manager, name="Москва", region="Москва")
    client.force_login(head)
    params = {"region": "Казань", "owner": manager.pk, "sort": "-turnover"}

    listed = names(client.get(reverse("client_list"), params))
    header, rows = exported_rows(client.get(reverse("client_export"), params))

    name_col, inn_col, turnover_col = header[0], header[1], header[-1]
    assert [row[name_col] for row in rows] == listed == ["Казань 2", "Казань 1", "Казань 0"]
    assert [row[inn_col] for row in rows] == [make_inn(502), make_inn(501), make_inn(500)]
    assert [row[turnover_col] for row in rows] == [3000, 2000, 1000]


def test_the_print_view_of_the_list_is_an_a4_sheet_without_navigation(client, manager):
    ClientFactory(owner=manager, name="Печатный", region="Тула")
    ClientFactory(owner=manager, name="Другой", region="Омск")
    client.force_login(manager)

    response = client.get(reverse("client_list_print"), {"region": "Тула"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Печатный" in html and "Другой" not in html
    assert 'class="print-page"' in html
    assert "navbar" not in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{\s*size:\s*A4", css)


# --- the card ---------------------------------------------------------------------------------------------------


def test_another_managers_client_card_is_not_found(client, manager, other_manager, service_owner):
    foreign = ClientFactory(owner=other_manager)
    client.force_login(manager)

    for name in ("client_detail", "client_print", "client_update"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404, name
    assert client.post(reverse("contact_create", args=[foreign.pk]), {"full_name": "Х"}).status_code == 404
    client.force_login(service_owner)
    assert client.get(reverse("client_detail", args=[foreign.pk])).status_code == 404
    assert not ContactPerson.objects.exists()


def test_the_card_shows_details_contacts_sales_deals_activities_and_history(client, manager, head, teammate):
    now = timezone.now()
    today = timezone.localdate(now)
    segment = SegmentFactory(name="Монтажники")
    card_client = ClientFactory(owner=teammate, name="ООО Карточка", segment=segment, kpp="770701001")
    card_client = client_reassign(client=card_client, to_owner=manager, by=head, reason="Правило трёх месяцев")
    client_update(client=card_client, by=head, data={"category": "a"})
    ContactFactory(client=card_client, full_name="Иван Директоров", decision_role="decision_maker")
    this_month, last_month = today.replace(day=1), month_shift(today, -1)
    SaleLineFactory(client=card_client, date=this_month, amount=Decimal("1000.00"))
    SaleLineFactory(client=card_client, date=this_month, amount=Decimal("500.00"))
    SaleLineFactory(client=card_client, date=last_month, amount=Decimal("2000.00"))
    SaleLineFactory(client=card_client, date=month_shift(today, -30), amount=Decimal("99.00"))  # beyond 24 months
    deal = DealFactory(client=card_client, title="Поставка камер", stage=Stage.PROPOSAL, amount=Decimal("350000"))
    ActivityFactory(client=card_client, subject="Первый звонок", done_at=now - timedelta(days=3))
    ActivityFactory(client=card_client, subject="Свежая встреча", kind="meeting", done_at=now - timedelta(hours=1))
    client.force_login(manager)

    response = client.get(reverse("client_detail", args=[card_client.pk]))

    assert response.status_code == 200
    card = response.context["card"]
    assert [c.full_name for c in card.contacts] == ["Иван Директоров"]
    assert len(card.sales_by_month) == 24
    assert card.sales_by_month[-1].amount == Decimal("1500.00")
    assert card.sales_by_month[-2].amount == Decimal("2000.00")
    assert card.sales_total == Decimal("3500.00")
    assert [d.title for d in card.deals] == ["Поставка камер"]
    assert [a.subject for a in card.activities] == ["Свежая встреча", "Первый звонок"]
    assert [(o.from_owner, o.to_owner) for o in card.ownership] == [(teammate, manager)]
    html = response.content.decode()
    for text in ("770701001", "Монтажники", "Иван Директоров", "Поставка камер", "Правило трёх месяцев"):
        assert text in html, text
    assert f'href="{reverse("deal_detail", args=[deal.pk])}"' in html
    assert "350\u00a0000\u00a0₽" in html  # a deal in the card's list: whole roubles
    assert 'id="client-sales-data"' in html and "/static/js/client_card.js" in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert any(item["after"] == "A" for row in response.context["changes"] for item in row["items"])
    assert any(item["after"] == str(manager) for row in response.context["changes"] for item in row["items"])


def test_sales_by_month_is_one_aggregate_query(manager, django_assert_num_queries):
    c = ClientFactory(owner=manager)
    for month in range(1, 11):
        SaleLineFactory(client=c, date=date(2026, month, 3))

    with django_assert_num_queries(1):
        months = client_sales_by_month(client=c, user=manager, today=date(2026, 11, 23))

    assert [m.month for m in months][:2] == [date(2024, 12, 1), date(2025, 1, 1)]
    assert [m.amount for m in months][-11:] == [Decimal("10000.00")] * 10 + [Decimal("0.00")]


def test_a_contact_person_is_added_from_the_card(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("contact_create", args=[own.pk]),
        {
            "full_name": "Пётр Закупкин",
            "position": "Снабженец",
            "decision_role": "influencer",
            "phone": "8 916 123-45-67",
        },
    )

    assert response.status_code == 302
    person = ContactPerson.objects.get(client=own)
    assert (person.full_name, person.decision_role, person.phone) == ("Пётр Закупкин", "influencer", "+79161234567")


def test_a_bad_contact_phone_is_refused_on_the_card_and_keeps_what_was_typed(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("contact_create", args=[own.pk]),
        {"full_name": "Пётр Закупкин", "decision_role": "influencer", "phone": "12", "email": "petr@example.ru"},
    )

    assert response.status_code == 400
    form = response.context["contact_form"]
    assert form.errors["phone"][0] in response.content.decode()
    html = response.content.decode()
    assert 'value="Пётр Закупкин"' in html and 'value="12"' in html and 'value="petr@example.ru"' in html
    assert "<details open" in html
    assert not ContactPerson.objects.exists()


def test_a_contact_without_a_name_or_with_a_bad_email_is_refused(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(reverse("contact_create", args=[own.pk]), {"decision_role": "other", "email": "не-почта"})

    assert response.status_code == 400
    assert set(response.context["contact_form"].errors) == {"full_name", "email"}
    assert 'value="не-почта"' in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_the_client_is_edited_and_the_change_is_logged(client, manager):
    own = ClientFactory(owner=manager, name="Старое имя", region="Москва")
    client.force_login(manager)
    form = client.get(reverse("client_update", args=[own.pk]))
    data = {k: ("" if v is None else v) for k, v in form.context["form"].initial.items()}
    data.update(name="Новое имя", phone="8 (495) 765-43-21", region="Тула")

    response = client.post(reverse("client_update", args=[own.pk]), data)

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.phone, own.region, own.owner) == ("Новое имя", "+74957654321", "Тула", manager)
    log = ChangeLog.objects.get(object_id=own.pk, action="update")
    assert log.changes["region"] == ["Москва", "Тула"] and log.by == manager


def test_a_bad_inn_is_refused_and_the_form_keeps_what_was_typed(client, manager):
    own = ClientFactory(owner=manager, name="Имя")
    client.force_login(manager)

    response = client.post(
        reverse("client_update", args=[own.pk]), {"name": "Другое имя", "inn": "1234567890", "status": "active"}
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["inn"]
    html = response.content.decode()
    assert errors[0] in html
    assert 'value="Другое имя"' in html and 'value="1234567890"' in html
    own.refresh_from_db()
    assert own.name == "Имя"


def test_the_vip_head_reads_a_card_but_may_not_edit_it(client, vip_head, manager):
    own = ClientFactory(owner=manager)
    client.force_login(vip_head)

    card = client.get(reverse("client_detail", args=[own.pk]))
    edit = client.get(reverse("client_update", args=[own.pk]))

    assert card.status_code == 200 and card.context["may_edit"] is False
    assert 'data-testid="client-edit"' not in card.content.decode()
    assert edit.status_code == 403


def test_the_card_print_view_is_an_a4_sheet_with_the_sales_table(client, manager):
    own = ClientFactory(owner=manager, name="Для печати")
    SaleLineFactory(client=own, date=timezone.localdate(), amount=Decimal("4321.00"))
    client.force_login(manager)

    response = client.get(reverse("client_print", args=[own.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="print-page"' in html and "navbar" not in html
    assert "4\u00a0321\u00a0₽" in html  # a month's sales: a total
    assert 'data-testid="contact-form"' not in html


# --- query counts and hosts ----------------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def add_clients(owner, n, start, segment):
    today = timezone.localdate()
    for i in range(start, start + n):
        c = ClientFactory(owner=owner, name=f"Клиент {i:03d}", segment=segment)
        SaleLineFactory(client=c, date=today - timedelta(days=i + 1))
        ActivityFactory(client=c, kind="call", done_at=timezone.now() - timedelta(days=i + 1))


@pytest.mark.parametrize("viewer", ["manager", "head"])
def test_the_list_and_its_export_query_count_does_not_grow_with_rows(client, request, viewer, manager):
    user = request.getfixturevalue(viewer)
    segment = SegmentFactory()
    client.force_login(user)

    add_clients(manager, 3, 0, segment)
    counts_3 = [
        count_queries(client, reverse(name), {"sort": "-turnover"}) for name in ("client_list", "client_export")
    ]
    add_clients(manager, 27, 3, segment)
    counts_30 = [
        count_queries(client, reverse(name), {"sort": "-turnover"}) for name in ("client_list", "client_export")
    ]

    assert counts_3 == counts_30


def test_the_card_query_count_does_not_grow_with_rows(client, manager, head):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    def add(n):
        for _ in range(n):
            ContactFactory(client=own)
            DealFactory(client=own, stage=Stage.PROPOSAL)
            ActivityFactory(client=own, kind="task", due_at=timezone.now() + timedelta(days=1), done_at=None)
            SaleLineFactory(client=own, date=timezone.localdate())
            client_update(client=own, by=manager, data={"address": f"Адрес {ContactPerson.objects.count()}"})
        OwnershipChange.objects.create(client=own, from_owner=head, to_owner=manager, by=head, reason="ещё")

    add(3)
    with_3 = count_queries(client, reverse("client_detail", args=[own.pk]))
    add(27)
    with_30 = count_queries(client, reverse("client_detail", args=[own.pk]))

    assert with_3 == with_30


def test_the_client_pages_load_nothing_from_another_host(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    for url in [
        reverse("client_list"),
        reverse("client_list_print"),
        reverse("client_detail", args=[own.pk]),
        reverse("client_print", args=[own.pk]),
        reverse("client_update", args=[own.pk]),
    ]:
        html = client.get(url).content.decode()
        assert 'href="/static/vendor/tabler/css/tabler.min.css"' in html, url
        assert not EXTERNAL.findall(html), url


def test_the_service_owner_is_refused_the_client_list_and_its_export(client, service_owner):
    client.force_login(service_owner)

    assert client.get(reverse("client_list")).status_code == 403
    assert client.get(reverse("client_list_print")).status_code == 403
    assert client.get(reverse("client_export")).status_code == 403


def test_phones_read_nationally_on_the_card_the_list_the_search_and_the_export_and_dial_in_e164(client, manager):
    own = ClientFactory(owner=manager, name="ООО «Телефон»", normalized_name="телефон", phone="+74955810283")
    ContactFactory(client=own, full_name="Пётр Закупкин", mobile="+79161234567")
    client.force_login(manager)

    card = client.get(reverse("client_detail", args=[own.pk])).content.decode()
    listed = client.get(reverse("client_list")).content.decode()
    found = client.get(reverse("search_dropdown"), {"q": "8 (495) 581-02-83"}, HTTP_HX_REQUEST="true")
    sheet = load_workbook(BytesIO(client.get(reverse("client_export")).content)).active

    assert '<a href="tel:+74955810283">+7 495 581-02-83</a>' in card
    assert 'href="tel:+79161234567">+7 916 123-45-67</a>' in card
    assert "+7 495 581-02-83" in listed and "+74955810283" not in listed
    assert "+7 495 581-02-83" in found.content.decode()
    # The export reads as the page does (a leading + gets inert_text's apostrophe, so no spreadsheet runs it).
    assert "'+7 495 581-02-83" in [cell.value for cell in sheet[2]]
    own.refresh_from_db()
    assert own.phone == "+74955810283"  # stored in E.164
