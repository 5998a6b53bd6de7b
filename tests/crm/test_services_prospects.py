"""Prospect lists: dedupe against the whole base, progress toward the target, warm candidates, files, claiming."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import Workbook

from crm.models import Client, DepartmentSettings, OwnershipChange, ProspectEntry, ProspectList, Role
from crm.models.validators import normalize_name
from crm.selectors.prospects import list_progress
from crm.services.prospects import (
    CLAIM_REASON,
    prospect_add_warm,
    prospect_claim,
    prospect_entries_import,
    prospect_entry_add,
    prospect_list_check,
    prospect_list_create,
)
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory, make_inn

TODAY = date(2026, 6, 15)


def base_client(**kwargs):
    kwargs.setdefault("name", "ООО Основа")
    kwargs["normalized_name"] = normalize_name(kwargs["name"])
    return ClientFactory(**kwargs)


def entry(prospect_list, **values):
    by = values.pop("by", prospect_list.owner)
    values.setdefault("name", "Новая компания")
    return prospect_entry_add(prospect_list=prospect_list, by=by, data=values)


@pytest.fixture
def plist(manager):
    return prospect_list_create(by=manager, name="Июнь")


# --- dedupe -----------------------------------------------------------------------------------------------------


def test_an_entry_with_the_inn_of_another_managers_client_is_taken_and_shows_who(plist, other_manager):
    client = base_client(name="Совсем другое имя", inn=make_inn(1), owner=other_manager)

    found = entry(plist, name="ООО Ромашка", inn=make_inn(1))

    assert found.check_result == ProspectEntry.Check.TAKEN
    assert found.matched_by == ProspectEntry.MatchedBy.INN
    assert found.worked_by == other_manager
    assert found.client == client


def test_a_phone_written_differently_matches_the_base(plist, other_manager):
    base_client(name="Лютик", inn="", phone="+74951234567", owner=other_manager)

    found = entry(plist, name="Ромашка", phone="8 (495) 123-45-67")

    assert found.phone == "+74951234567"
    assert (found.check_result, found.matched_by, found.worked_by) == ("taken", "phone", other_manager)


def test_the_additional_phone_of_a_client_matches_too(plist, other_manager):
    base_client(name="Лютик", inn="", phone="+74950000000", phone_extra="+74951112233", owner=other_manager)

    found = entry(plist, name="Ромашка", phone="+7 495 111-22-33")

    assert (found.check_result, found.matched_by) == ("taken", "phone")


def test_a_name_with_a_legal_form_and_quotes_matches_the_same_company(plist, other_manager):
    base_client(name="Ромашка-Плюс, ООО", inn="", phone="", owner=other_manager)

    found = entry(plist, name="ООО «Ромашка Плюс»")

    assert (found.check_result, found.matched_by, found.worked_by) == ("taken", "name", other_manager)


def test_the_managers_own_client_is_marked_own_not_struck(plist, manager):
    base_client(name="Своя", inn=make_inn(2), owner=manager)

    found = entry(plist, name="Своя компания", inn=make_inn(2))

    assert (found.check_result, found.worked_by) == ("own", manager)


def test_an_unowned_client_of_the_base_is_free_and_linked(plist):
    client = base_client(name="Ничья", inn=make_inn(3), owner=None, owned_since=None)

    found = entry(plist, name="Ничья", inn=make_inn(3))

    assert (found.check_result, found.client, found.worked_by) == ("free", client, None)


def test_a_company_unknown_to_the_base_is_free(plist, other_manager):
    base_client(name="Другая", inn=make_inn(4), phone="+74950000001", owner=other_manager)

    found = entry(plist, name="Неизвестная", inn=make_inn(5), phone="+74950000002")

    assert (found.check_result, found.matched_by, found.client) == ("free", "", None)


def test_the_same_company_twice_on_a_list_is_a_duplicate_the_first_stays_free(plist):
    first = entry(plist, name="ООО Дубль", inn=make_inn(6))
    second = entry(plist, name="Дубль-Другой", inn=make_inn(6))
    by_phone = entry(plist, name="Третья", phone="+74957770000")
    again = entry(plist, name="Четвёртая", phone="8 495 777 00 00")

    first.refresh_from_db()
    by_phone.refresh_from_db()
    assert first.check_result == "free"
    assert (second.check_result, second.matched_by) == ("duplicate", "inn")
    assert by_phone.check_result == "free"
    assert (again.check_result, again.matched_by) == ("duplicate", "phone")


def test_the_check_follows_the_base_when_a_client_changes_hands(plist, other_manager, teammate):
    client = base_client(name="Переходящая", inn=make_inn(7), owner=other_manager)
    found = entry(plist, name="Переходящая", inn=make_inn(7))
    assert found.worked_by == other_manager

    Client.objects.filter(pk=client.pk).update(owner=teammate)
    counts = prospect_list_check(prospect_list=plist)

    found.refresh_from_db()
    assert found.worked_by == teammate
    assert counts["taken"] == 1


def test_checking_a_list_takes_the_same_queries_for_3_and_30_entries(manager, other_manager):
    def build(size, offset):
        prospect_list = ProspectList.objects.create(owner=manager, name=f"{size}")
        for n in range(size):
            base_client(name=f"Клиент {offset + n}", inn=make_inn(offset + n), owner=other_manager)
            ProspectEntry.objects.create(
                prospect_list=prospect_list,
                name=f"Компания {offset + n}",
                normalized_name=f"компания {offset + n}",
                inn=make_inn(offset + n),
            )
        with CaptureQueriesContext(connection) as queries:
            counts = prospect_list_check(prospect_list=prospect_list)
        assert counts["taken"] == size
        return len(queries)

    assert build(3, 100) == build(30, 200)


def test_a_bad_entry_is_rejected_with_field_errors_and_nothing_is_added(plist):
    with pytest.raises(ValidationError) as error:
        entry(plist, name="", inn="1234567890", phone="12", email="not-mail", source="горячий")

    assert set(error.value.message_dict) == {"name", "inn", "phone", "email", "source"}
    assert plist.entries.count() == 0


def test_another_manager_cannot_add_to_a_list_but_the_base_manager_can(plist, other_manager, base_manager):
    with pytest.raises(PermissionDenied):
        entry(plist, by=other_manager)

    added = entry(plist, by=base_manager, name="От базы", source_detail="2ГИС")

    assert (added.source, added.source_detail) == ("cold", "map_directory")


def test_the_base_manager_builds_a_list_only_for_a_seller(base_manager, manager, head):
    built = prospect_list_create(by=base_manager, owner=manager, name="Для Иванова")

    assert (built.owner, built.created_by) == (manager, base_manager)
    with pytest.raises(ValidationError) as error:
        prospect_list_create(by=base_manager, name="Ничей")
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError):
        prospect_list_create(by=base_manager, owner=head, name="Для РОПа")


# --- progress ----------------------------------------------------------------------------------------------------


def test_progress_counts_only_workable_entries_with_phone_email_and_address(plist, other_manager):
    settings = DepartmentSettings.current()
    settings.prospect_list_size = 5
    settings.save()
    full = {"phone": "+74950000010", "email": "a@example.ru", "address": "Москва"}
    entry(plist, name="Полная", **full)
    entry(plist, name="Без почты", phone="+74950000011", address="Москва")
    entry(plist, name="Без адреса", phone="+74950000012", email="b@example.ru")
    entry(plist, name="Повтор", phone="+74950000010", email="c@example.ru", address="Москва")
    base_client(name="Чужая", inn=make_inn(8), owner=other_manager)
    entry(plist, name="Чужая", inn=make_inn(8), phone="+74950000013", email="d@example.ru", address="Москва")

    progress = list_progress(plist)

    assert (progress.total, progress.ready, progress.taken, progress.duplicates) == (5, 1, 1, 1)
    assert (progress.target, progress.missing, progress.percent) == (5, 4, 20)


# --- warm candidates ---------------------------------------------------------------------------------------------


def test_the_warm_base_brings_lapsed_own_clients_and_clients_that_never_bought(plist, manager, other_manager):
    lapsed = base_client(name="Уснувший", owner=manager)
    # Calendar months, as every rule counts them (DOMAIN.md section 3): the 5 full months before June are
    # January to May, so a last purchase on 31 December makes a lapsed client and one on 1 January does not.
    SaleLineFactory(client=lapsed, date=date(2025, 12, 31))
    active = base_client(name="Свежий", owner=manager)
    SaleLineFactory(client=active, date=date(2026, 1, 1))
    SaleLineFactory(client=active, date=date(2025, 1, 16))
    never = base_client(name="Не покупал", owner=manager)
    unowned = base_client(name="Ничей", owner=None, owned_since=None)
    others = base_client(name="Чужой", owner=other_manager)
    SaleLineFactory(client=base_client(name="Чужой уснувший", owner=other_manager), date=date(2025, 1, 1))

    added = prospect_add_warm(prospect_list=plist, by=manager, today=TODAY)

    entries = {e.name: e for e in plist.entries.all()}
    assert added == 3
    assert set(entries) == {lapsed.name, never.name, unowned.name}
    assert others.name not in entries
    assert entries[lapsed.name].check_result == "own"
    assert entries[unowned.name].check_result == "free"
    assert entries[unowned.name].client == unowned
    assert {(e.source, e.source_detail) for e in entries.values()} == {("warm", "own_base")}


def test_adding_the_warm_base_twice_adds_nothing_the_second_time(plist, manager):
    base_client(name="Не покупал", owner=manager)

    assert prospect_add_warm(prospect_list=plist, by=manager, today=TODAY) == 1
    assert prospect_add_warm(prospect_list=plist, by=manager, today=TODAY) == 0
    assert plist.entries.count() == 1


def test_the_warm_base_follows_the_heads_setting(plist, manager):
    settings = DepartmentSettings.current()
    settings.new_client_after_months = 2
    settings.save()
    client = base_client(name="Два месяца", owner=manager)
    SaleLineFactory(client=client, date=date(2026, 3, 31))  # nothing in April and May, the 2 months before June
    recent = base_client(name="Апрель", owner=manager)
    SaleLineFactory(client=recent, date=date(2026, 4, 1))

    assert prospect_add_warm(prospect_list=plist, by=manager, today=TODAY) == 1
    assert set(plist.entries.values_list("name", flat=True)) == {"Два месяца"}


def test_the_warm_candidates_take_one_query_each_whatever_their_number(db):
    def run(size, offset):
        manager = UserFactory(role=Role.MANAGER)
        prospect_list = ProspectList.objects.create(owner=manager, name=str(size))
        for n in range(size):
            client = base_client(name=f"Клиент {offset + n}", inn=make_inn(offset + n), owner=manager)
            SaleLineFactory(client=client, date=date(2025, 1, 1))
            base_client(name=f"Новый {offset + n}", inn=make_inn(offset + n + 50), owner=manager)
        DepartmentSettings.current()
        with CaptureQueriesContext(connection) as queries:
            added = prospect_add_warm(prospect_list=prospect_list, by=manager, today=TODAY)
        assert added == 2 * size
        return len(queries)

    assert run(3, 300) == run(30, 400)


# --- a file --------------------------------------------------------------------------------------------------------


def csv_file(text):
    return SimpleUploadedFile("list.csv", text.encode("utf-8"), content_type="text/csv")


GOOD_AND_BAD = (
    "Наименование;ИНН;Телефон;Email;Адрес;Откуда\n"
    f"ООО Альфа;{make_inn(9)};8 (495) 100-00-01;alfa@example.ru;Москва;2ГИС\n"
    ";;;;;\n"
    "ООО Бета;1234567890;+7 495 100-00-02;beta@example.ru;Москва;Яндекс Карты\n"
    "ООО Гамма;;телефон;gamma;Москва;журнал\n"
    "ООО Дельта;;+7 495 100-00-04;delta@example.ru;Москва;Справочник\n"
)


def test_a_file_with_bad_rows_writes_nothing_in_strict_mode_and_reports_each(plist, manager):
    result = prospect_entries_import(prospect_list=plist, by=manager, file=csv_file(GOOD_AND_BAD))

    assert plist.entries.count() == 0
    assert (result.total, result.added) == (4, 0)
    assert {(e["row"], e["column"]) for e in result.errors} == {
        (4, "ИНН"),
        (5, "Телефон"),
        (5, "Email"),
        (5, "Откуда"),
    }


def test_a_file_adds_the_good_rows_when_not_strict(plist, manager):
    result = prospect_entries_import(prospect_list=plist, by=manager, file=csv_file(GOOD_AND_BAD), strict=False)

    entries = {e.name: e for e in plist.entries.all()}
    assert result.added == 2
    assert set(entries) == {"ООО Альфа", "ООО Дельта"}
    assert (entries["ООО Альфа"].phone, entries["ООО Альфа"].source_detail) == ("+74951000001", "map_directory")
    assert entries["ООО Дельта"].source == "cold"
    assert {e.check_result for e in entries.values()} == {"free"}


def test_an_xlsx_file_is_read_like_the_clients_import(plist, manager, other_manager):
    base_client(name="Занятая", inn=make_inn(10), owner=other_manager)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Наименование", "ИНН", "Телефон"])
    sheet.append(["Занятая компания", int(make_inn(10)), "84951000005"])
    buffer = BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("list.xlsx", buffer.getvalue())

    result = prospect_entries_import(prospect_list=plist, by=manager, file=upload)

    found = plist.entries.get()
    assert (result.added, found.check_result, found.worked_by) == (1, "taken", other_manager)


def test_a_file_without_a_name_column_is_refused(plist, manager):
    with pytest.raises(ValidationError) as error:
        prospect_entries_import(prospect_list=plist, by=manager, file=csv_file("ИНН;Телефон\n123;456\n"))

    assert "file" in error.value.message_dict


# --- claiming ------------------------------------------------------------------------------------------------------


def test_claiming_an_unowned_client_gives_it_to_the_manager_with_the_reason(plist, manager):
    client = base_client(name="Ничья", inn=make_inn(11), owner=None, owned_since=None, source="", source_detail="")
    found = entry(plist, name="Ничья", inn=make_inn(11), source_detail="map_directory")

    claimed = prospect_claim(entry=found, by=manager, today=TODAY)

    client.refresh_from_db()
    found.refresh_from_db()
    assert claimed == client
    assert (client.owner, client.owned_since) == (manager, TODAY)
    assert (client.source, client.source_detail) == ("cold", "map_directory")
    change = OwnershipChange.objects.get(client=client)
    assert (change.from_owner, change.to_owner, change.by, change.reason) == (
        None,
        manager,
        manager,
        gettext(CLAIM_REASON),
    )
    assert (found.check_result, found.worked_by) == ("own", manager)


def test_claiming_a_new_company_creates_the_managers_client(plist, manager, head):
    found = entry(plist, name="ООО Новая", inn=make_inn(12), phone="84951230000", source_detail="internet_map")

    client = prospect_claim(entry=found, by=head, today=TODAY)

    assert (client.owner, client.owned_since, client.status) == (manager, TODAY, "prospect")
    assert (client.inn, client.phone, client.source, client.source_detail) == (
        make_inn(12),
        "+74951230000",
        "cold",
        "internet_map",
    )
    assert client.normalized_name == "новая"


def test_a_taken_or_duplicate_entry_cannot_be_claimed(plist, manager, other_manager):
    base_client(name="Чужая", inn=make_inn(13), owner=other_manager)
    taken = entry(plist, name="Чужая", inn=make_inn(13))

    with pytest.raises(ValidationError):
        prospect_claim(entry=taken, by=manager)


def test_a_claim_after_someone_else_took_the_client_names_who(plist, manager, other_manager):
    client = base_client(name="Ничья", inn=make_inn(14), owner=None, owned_since=None)
    found = entry(plist, name="Ничья", inn=make_inn(14))
    Client.objects.filter(pk=client.pk).update(owner=other_manager)

    with pytest.raises(ValidationError) as error:
        prospect_claim(entry=found, by=manager)

    assert str(other_manager) in str(error.value)
    client.refresh_from_db()
    assert client.owner == other_manager


def test_another_manager_cannot_claim_from_my_list(plist, other_manager, base_manager):
    found = entry(plist, name="Свободная", inn=make_inn(15))

    for outsider in (other_manager, base_manager):
        with pytest.raises(PermissionDenied):
            prospect_claim(entry=found, by=outsider)
    assert not Client.objects.filter(inn=make_inn(15)).exists()
