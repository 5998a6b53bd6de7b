"""The prospect list pages (index, list with its check, forms, print in two copies) and the sources report."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from core.names import genitive
from crm.models import Client, Deal, ProspectEntry, ProspectList
from crm.models.validators import normalize_name
from crm.rules.stages import Stage
from crm.selectors.prospects import sources_report
from crm.services.prospects import prospect_entry_add, prospect_list_create
from tests.crm.factories import ClientFactory, DealFactory, LostReasonFactory, SaleLineFactory, make_inn


def base_client(**kwargs):
    kwargs["normalized_name"] = normalize_name(kwargs["name"])
    return ClientFactory(**kwargs)


@pytest.fixture
def plist(manager):
    return prospect_list_create(by=manager, name="Июнь")


def fill(prospect_list, size, taken_by, offset=0):
    """`size` entries, every third one worked by `taken_by`."""
    for n in range(offset, offset + size):
        if n % 3 == 0:
            base_client(name=f"Занятая {n}", inn=make_inn(n), owner=taken_by)
        ProspectEntry.objects.create(
            prospect_list=prospect_list,
            name=f"Компания {n}",
            normalized_name=f"компания {n}",
            inn=make_inn(n),
            phone=f"+7495{n:07d}",
            email=f"c{n}@example.ru",
            address="Москва",
        )
    from crm.services.prospects import prospect_list_check

    prospect_list_check(prospect_list=prospect_list)


# --- the index -----------------------------------------------------------------------------------------------------


def test_a_manager_sees_only_his_lists_the_base_manager_and_head_see_all(
    client, manager, other_manager, base_manager, head
):
    prospect_list_create(by=manager, name="Мой список")
    prospect_list_create(by=other_manager, name="Чужой список")

    def names(user):
        client.force_login(user)
        response = client.get(reverse("prospect_list_index"))
        assert response.status_code == 200
        return sorted(item.name for item in response.context["lists"])

    assert names(manager) == ["Мой список"]
    assert names(base_manager) == names(head) == ["Мой список", "Чужой список"]


def test_roles_without_prospect_lists_get_403(client, service_owner, vip_head):
    for user in (service_owner, vip_head):
        client.force_login(user)
        assert client.get(reverse("prospect_list_index")).status_code == 403


def test_the_base_manager_creates_a_list_for_a_manager(client, base_manager, manager):
    client.force_login(base_manager)

    response = client.post(reverse("prospect_list_index"), {"name": "Для Иванова", "owner": manager.pk})

    created = ProspectList.objects.get()
    assert response.status_code == 302
    assert (created.owner, created.created_by) == (manager, base_manager)


def test_the_base_manager_must_choose_a_manager_and_keeps_the_typed_name(client, base_manager):
    client.force_login(base_manager)

    response = client.post(reverse("prospect_list_index"), {"name": "Без менеджера"})

    assert response.status_code == 400
    assert 'value="Без менеджера"' in response.content.decode()
    assert not ProspectList.objects.exists()


# --- one list ------------------------------------------------------------------------------------------------------


def test_the_list_page_strikes_off_an_entry_another_manager_works_showing_who(client, plist, manager, other_manager):
    base_client(name="Чужая", inn=make_inn(1), owner=other_manager)
    prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Чужая", "inn": make_inn(1)})
    client.force_login(manager)

    response = client.get(reverse("prospect_list_detail", args=[plist.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<s>Чужая</s>" in html
    with translation.override("ru"):
        assert f"В работе у {escape(genitive(other_manager))}" in html  # «В работе у Ивана Петрова»
    assert 'data-check="taken"' in html


def test_another_managers_list_answers_404(client, plist, other_manager):
    client.force_login(other_manager)

    assert client.get(reverse("prospect_list_detail", args=[plist.pk])).status_code == 404
    assert client.get(reverse("prospect_list_print", args=[plist.pk])).status_code == 404
    response = client.post(reverse("prospect_entry_add", args=[plist.pk]), {"name": "Взлом"})
    assert response.status_code == 404
    assert not plist.entries.exists()


def test_the_add_form_keeps_what_was_typed_and_shows_the_error(client, plist, manager):
    client.force_login(manager)

    response = client.post(
        reverse("prospect_entry_add", args=[plist.pk]), {"name": "ООО Опечатка", "inn": "1234567890", "phone": "12"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="ООО Опечатка"' in html and 'value="1234567890"' in html
    assert 'id="id_inn_errors"' in html and 'id="id_phone_errors"' in html
    assert not plist.entries.exists()


def test_the_add_form_adds_a_company_and_returns_to_the_list(client, plist, manager):
    client.force_login(manager)

    response = client.post(
        reverse("prospect_entry_add", args=[plist.pk]),
        {"name": "ООО Новая", "phone": "8 495 111 22 33", "source_detail": "map_directory"},
    )

    assert response.status_code == 302
    assert plist.entries.get().phone == "+74951112233"


def test_a_file_with_bad_rows_shows_each_row_and_adds_nothing(client, plist, manager):
    client.force_login(manager)
    content = f"Наименование;ИНН;Телефон\nООО Альфа;{make_inn(2)};84951000001\nООО Бета;123;\n".encode()

    response = client.post(
        reverse("prospect_list_import", args=[plist.pk]),
        {"file": SimpleUploadedFile("list.csv", content), "strict": "on"},
    )

    assert response.status_code == 400
    assert response.context["file_errors"][0]["row"] == 3
    assert not plist.entries.exists()


def test_the_warm_button_adds_the_managers_clients_that_never_bought(client, plist, manager):
    base_client(name="Не покупал", owner=manager)
    client.force_login(manager)

    response = client.post(reverse("prospect_list_add_warm", args=[plist.pk]))

    assert response.status_code == 302
    assert plist.entries.get().name == "Не покупал"


def test_the_claim_button_makes_an_unowned_client_the_managers(client, plist, manager):
    unowned = base_client(name="Ничья", inn=make_inn(3), owner=None, owned_since=None)
    found = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Ничья", "inn": make_inn(3)})
    client.force_login(manager)

    response = client.post(reverse("prospect_entry_claim", args=[found.pk]))

    unowned.refresh_from_db()
    assert response.status_code == 302
    assert unowned.owner == manager


def test_the_list_page_takes_the_same_queries_for_3_and_30_entries(client, manager, other_manager):
    small = ProspectList.objects.create(owner=manager, name="3")
    large = ProspectList.objects.create(owner=manager, name="30")
    fill(small, 3, other_manager)
    fill(large, 30, other_manager, offset=100)
    client.force_login(manager)
    client.get(reverse("prospect_list_index"))  # the session and the settings row exist from now on

    def count(prospect_list, name):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[prospect_list.pk]))
        assert response.status_code == 200
        return len(queries)

    for name in ("prospect_list_detail", "prospect_list_print"):
        assert count(small, name) == count(large, name)


def test_the_index_takes_the_same_queries_for_3_and_30_lists(client, manager):
    client.force_login(manager)
    client.get(reverse("prospect_list_index"))  # the session and the settings row exist from now on

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("prospect_list_index")).status_code == 200
        return len(queries)

    for n in range(3):
        ProspectList.objects.create(owner=manager, name=f"{n}")
    few = count()
    for n in range(27):
        ProspectList.objects.create(owner=manager, name=f"more {n}")
    assert count() == few


def test_the_print_holds_the_list_twice_one_copy_for_the_manager_one_for_the_head(client, plist, manager):
    prospect_entry_add(prospect_list=plist, by=manager, data={"name": "ООО Печать"})
    client.force_login(manager)

    response = client.get(reverse("prospect_list_print", args=[plist.pk]))

    html = response.content.decode()
    copies = [escape(str(copy)) for copy in response.context["copies"]]
    assert html.count('data-testid="prospect-print-copy"') == 2
    assert html.count("ООО Печать") == 2
    assert len(set(copies)) == 2 and all(html.count(copy) == 1 for copy in copies)
    assert "navbar" not in html


def test_the_progress_shows_how_many_companies_are_missing(client, plist, manager, other_manager):
    fill(plist, 3, other_manager)  # the first of three is taken
    client.force_login(manager)

    progress = client.get(reverse("prospect_list_detail", args=[plist.pk])).context["progress"]

    assert (progress.ready, progress.target, progress.missing, progress.taken) == (2, 100, 98, 1)


def test_the_list_exports_to_excel(client, plist, manager, other_manager):
    fill(plist, 3, other_manager)
    client.force_login(manager)

    response = client.get(reverse("prospect_list_export", args=[plist.pk]))

    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 4
    assert str(other_manager) in [cell.value for cell in sheet[2]]


# --- the sources report ---------------------------------------------------------------------------------------------


@pytest.fixture
def sources(manager, other_manager):
    gis = base_client(name="Из 2ГИС", source="cold", source_detail="map_directory", owner=manager)
    base_client(name="Из 2ГИС без покупок", source="cold", source_detail="map_directory", owner=other_manager)
    warm = base_client(name="Своя база", source="warm", source_detail="own_base", owner=manager)
    base_client(name="Неизвестно откуда", source="", source_detail="", owner=manager)
    SaleLineFactory(client=gis, date=date(2026, 3, 1))
    SaleLineFactory(client=gis, date=date(2026, 4, 1))
    SaleLineFactory(client=warm, date=date(2026, 4, 1))
    DealFactory(client=gis, stage=Stage.CLOSING, amount=Decimal("100000"))
    DealFactory(client=gis, stage=Stage.PAYMENT, amount=Decimal("50000"))  # not paid yet: not won
    DealFactory(client=warm, stage=Stage.FULFILMENT, amount=Decimal("20000"))
    DealFactory(client=warm, stage=Stage.LOST, amount=Decimal("90000"), lost_reason=LostReasonFactory())


def test_the_sources_report_counts_clients_buyers_and_won_deals_per_source(sources):
    with CaptureQueriesContext(connection) as queries:
        rows = sources_report(clients=Client.objects.all(), deals=Deal.objects.all())

    figures = {(r.source, r.source_detail): (r.clients, r.buyers, r.won_deals, r.won_amount) for r in rows}
    assert len(queries) == 2
    assert figures == {
        ("cold", "map_directory"): (2, 1, 1, Decimal("100000.00")),
        ("warm", "own_base"): (1, 1, 1, Decimal("20000.00")),
        ("", ""): (1, 0, 0, 0),
    }
    assert [r.source for r in rows] == ["cold", "warm", ""]


def test_the_sources_page_is_for_the_head_and_team_leads_with_excel(client, sources, head, team_lead, manager):
    client.force_login(manager)
    assert client.get(reverse("sources_report")).status_code == 403
    client.force_login(team_lead)
    assert client.get(reverse("sources_report")).status_code == 200
    client.force_login(head)

    page = client.get(reverse("sources_report"))
    export = client.get(reverse("sources_report_export"))

    assert page.context["totals"].clients == 4
    sheet = load_workbook(BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][2:5] == [2, 1, 1]
