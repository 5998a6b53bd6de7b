"""Import of clients: 1C CSV in cp1251 or UTF-8, XLSX, row errors with row and column, strict mode, re-import."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from crm.models import ChangeLog, Client, ImportJob, OwnershipChange
from crm.services.imports import import_run, import_validate
from tests.crm.factories import ClientFactory, make_inn

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def sample(name: str) -> SimpleUploadedFile:
    return upload(name, (DATA / name).read_bytes())


def csv_file(lines: list[str], *, encoding: str = "utf-8", name: str = "clients.csv") -> SimpleUploadedFile:
    return upload(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def import_clients(by, file, *, strict: bool = True) -> ImportJob:
    job = import_validate(by=by, kind=ImportJob.Kind.CLIENTS, uploaded_file=file, strict=strict)
    return import_run(job=job, by=by, today=TODAY)


def test_a_1c_cp1251_file_with_russian_headers_imports_every_client(head, manager):
    job = import_validate(by=head, kind="clients", uploaded_file=sample("clients_1c_cp1251.csv"))

    assert (job.status, job.encoding, job.delimiter) == (ImportJob.Status.VALIDATED, "cp1251", ";")
    assert (job.total_rows, job.valid_rows, job.error_count, job.errors) == (3, 3, 0, [])
    assert not Client.objects.exists()

    job = import_run(job=job, by=head, today=TODAY)

    assert (job.status, job.created_count, job.skipped_count, job.progress) == (ImportJob.Status.DONE, 3, 0, 100)
    romashka = Client.objects.get(inn="7707083893")
    assert (romashka.name, romashka.kpp, romashka.phone) == ("ООО «Ромашка»", "773601001", "+74951234567")
    assert (romashka.source, romashka.channel, romashka.category, romashka.status) == ("cold", "direct", "a", "active")
    assert (romashka.owner, romashka.owned_since, romashka.normalized_name) == (manager, TODAY, "ромашка")
    vector = Client.objects.get(inn="7736207543")
    assert (vector.source, vector.channel, vector.category, vector.owner) == ("warm", "dealer", "b", None)
    assert vector.status == Client.Status.PROSPECT
    assert OwnershipChange.objects.get(client=romashka).to_owner == manager
    assert not OwnershipChange.objects.filter(client=vector).exists()
    assert ChangeLog.objects.filter(action=ChangeLog.Action.CREATE).count() == 3


def test_a_utf8_file_with_bom_commas_and_english_headers_imports(head):
    job = import_clients(head, sample("clients_utf8_bom.csv"))

    assert (job.encoding, job.delimiter, job.created_count) == ("utf-8-sig", ",", 2)
    alfa = Client.objects.get(inn="7728168971")
    assert (alfa.name, alfa.address, alfa.email, alfa.source) == (
        'ООО "Альфа"',
        "Москва, ул. Ленина, 5",
        "alfa@example.ru",
        "warm",
    )


def test_an_xlsx_file_imports_with_inn_typed_as_a_number(head):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Наименование", "ИНН", "Телефон", "Источник"])
    sheet.append(["ООО Рога и копыта", 7707083893, 84951112233, "Тёплый"])
    sheet.append([None, None, None, None])
    sheet.append(["ООО Ландыш", "7736207543", "+7 495 222-33-44", "cold"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = import_clients(head, upload("clients.xlsx", buffer.getvalue()))

    assert (job.status, job.total_rows, job.created_count) == (ImportJob.Status.DONE, 2, 2)
    assert Client.objects.get(inn="7707083893").phone == "+74951112233"
    assert Client.objects.get(inn="7736207543").source == Client.Source.COLD


def test_bad_rows_are_reported_with_their_row_and_the_column_as_named_in_the_file(head):
    lines = [
        "Наименование;ИНН;Телефон;Email;Источник;Менеджер",
        "ООО Один;7707083893;+74951234567;one@example.ru;холодный;",
        "ООО Два;7707083894;;;;",
        "ООО Три;7736207543;12;not-an-email;горячий;nobody",
        ";7710140679;;;;",
        "ООО Один дубль;7707083893;;;;",
    ]

    job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines, encoding="cp1251"))

    assert (job.total_rows, job.valid_rows, job.error_count) == (5, 1, 4)
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (3, "ИНН"),
        (4, "Телефон"),
        (4, "Email"),
        (4, "Источник"),
        (4, "Менеджер"),
        (5, "Наименование"),
        (6, "ИНН"),
    }
    duplicate = next(e for e in job.errors if e["row"] == 6)
    assert "2" in duplicate["message"]  # points at the first row of the same client
    assert all(e["message"] for e in job.errors)


def test_strict_mode_refuses_to_run_a_file_with_a_bad_row_and_writes_nothing(head):
    ClientFactory(inn=make_inn(77))
    before = (Client.objects.count(), OwnershipChange.objects.count(), ChangeLog.objects.count())
    lines = ["name;inn", "ООО Один;7707083893", "ООО Два;1234"]
    job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines))

    with pytest.raises(ValidationError) as exc:
        import_run(job=job, by=head)

    assert "file" in exc.value.message_dict
    assert (Client.objects.count(), OwnershipChange.objects.count(), ChangeLog.objects.count()) == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_non_strict_mode_writes_the_good_rows_and_reports_the_bad_ones(head):
    lines = ["name;inn", "ООО Один;7707083893", "ООО Два;1234", "ООО Три;7736207543"]

    job = import_clients(head, csv_file(lines), strict=False)

    assert (job.status, job.created_count, job.error_count) == (ImportJob.Status.DONE, 2, 1)
    assert job.errors[0]["row"] == 3
    assert set(Client.objects.values_list("inn", flat=True)) == {"7707083893", "7736207543"}


def test_importing_the_same_file_twice_adds_nothing_and_counts_every_row_as_present(head, manager):
    first = import_clients(head, sample("clients_1c_cp1251.csv"))
    before = (Client.objects.count(), OwnershipChange.objects.count(), ChangeLog.objects.count())

    second = import_clients(head, sample("clients_1c_cp1251.csv"))

    assert first.created_count == 3
    assert (second.status, second.created_count, second.skipped_count) == (ImportJob.Status.DONE, 0, 3)
    assert (Client.objects.count(), OwnershipChange.objects.count(), ChangeLog.objects.count()) == before


def test_an_existing_client_is_matched_by_inn_and_kpp_and_never_updated(head, manager, other_manager):
    existing = ClientFactory(name="Старое имя", inn="7707083893", kpp="773601001", owner=other_manager)

    job = import_clients(head, sample("clients_1c_cp1251.csv"))

    assert (job.created_count, job.skipped_count) == (2, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.owner) == ("Старое имя", other_manager)


def test_clients_without_inn_are_matched_by_name_and_phone_on_reimport(base_manager):
    lines = ["Наименование;Телефон", "Кафе Ромашка;+7 495 000-00-01", "Кафе Ромашка;+7 495 000-00-02"]

    import_clients(base_manager, csv_file(lines))
    again = import_clients(base_manager, csv_file(lines))

    assert Client.objects.count() == 2
    assert (again.created_count, again.skipped_count) == (0, 2)
    assert set(Client.objects.values_list("owner", flat=True)) == {None}


def test_a_seller_owns_the_clients_he_imports_and_cannot_give_them_to_another_manager(manager, other_manager):
    lines = ["name;inn;manager", "ООО Один;7707083893;", "ООО Два;7736207543;petrov"]

    job = import_validate(by=manager, kind="clients", uploaded_file=csv_file(lines), strict=False)

    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "manager")]
    job = import_run(job=job, by=manager, today=TODAY)
    assert job.created_count == 1
    assert Client.objects.get().owner == manager


def test_the_head_gives_imported_clients_to_the_manager_named_in_the_file_by_email(head, manager):
    lines = ["name;inn;manager", f"ООО Один;{make_inn(501)};{manager.email.upper()}"]

    import_clients(head, csv_file(lines))

    assert Client.objects.get().owner == manager


@pytest.mark.parametrize("role", ["service_owner", "vip_head"])
def test_roles_outside_sales_may_not_import_clients(role, request):
    with pytest.raises(PermissionDenied):
        import_validate(by=request.getfixturevalue(role), kind="clients", uploaded_file=sample("clients_utf8_bom.csv"))
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.csv"),
        (b"   \r\n", "blank.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx"),
        (b"\x00\x01\x02\x03binary", "image.png"),
        ("ИНН;Телефон\r\n7707083893;+74951234567\r\n".encode("cp1251"), "no_name_column.csv"),
        ("Наименование\r\n".encode(), "header_only.csv"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_under_the_file_field(head, content, name):
    with pytest.raises(ValidationError) as exc:
        import_validate(by=head, kind="clients", uploaded_file=upload(name, content))

    assert list(exc.value.message_dict) == ["file"]
    assert not ImportJob.objects.exists()


def test_a_path_backed_django_file_is_accepted(head, manager):
    from django.core.files import File

    with open(DATA / "clients_1c_cp1251.csv", "rb") as handle:
        job = import_validate(by=head, kind="clients", uploaded_file=File(handle))

    assert (job.original_name, job.valid_rows) == ("clients_1c_cp1251.csv", 3)
    assert job.file.name.endswith(".csv")


def test_a_row_that_turns_bad_before_the_import_fails_the_strict_job_and_nothing_is_written(head, manager):
    job = import_validate(by=head, kind="clients", uploaded_file=sample("clients_1c_cp1251.csv"))
    assert job.error_count == 0
    manager.is_active = False
    manager.save()

    job = import_run(job=job, by=head, today=TODAY)

    assert (job.status, job.error_count, job.created_count) == (ImportJob.Status.FAILED, 1, 0)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Менеджер")]
    assert not Client.objects.exists()
    assert not OwnershipChange.objects.exists()


# --- the day the ownership began (DOMAIN.md section 3: the 3-month clock of a department moving in) ------------


def test_an_owned_since_column_keeps_the_clock_that_ran_in_the_old_system(head, manager):
    content = (
        "Наименование;ИНН;Менеджер;Закреплён с\n"
        f"ООО Старый;7707083893;{manager.username};15.03.2026\n"
        f"ООО Новый;7736207543;{manager.username};\n"
    )
    job = import_validate(by=head, kind="clients", uploaded_file=upload("c.csv", content.encode()), today=TODAY)
    import_run(job=job, by=head, today=TODAY)
    old, new = Client.objects.get(inn="7707083893"), Client.objects.get(inn="7736207543")
    assert (old.owner, old.owned_since) == (manager, date(2026, 3, 15))
    assert (new.owner, new.owned_since) == (manager, TODAY)
    assert OwnershipChange.objects.filter(client__in=[old, new], to_owner=manager).count() == 2


def test_an_owned_since_in_the_future_or_without_a_manager_is_a_row_error(head):
    content = "Наименование;ИНН;Закреплён с\nООО Завтра;7707083893;01.01.2099\nООО Ничей;7736207543;01.02.2026\n"
    job = import_validate(by=head, kind="clients", uploaded_file=upload("c.csv", content.encode()), today=TODAY)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Закреплён с"), (3, "Закреплён с")]


def test_a_manager_cannot_set_a_category_or_a_status_through_an_import(manager, head):
    content = "Наименование;ИНН;Категория;Статус\nООО Вип;7707083893;VIP;действующий\n"
    job = import_validate(by=manager, kind="clients", uploaded_file=upload("c.csv", content.encode()), today=TODAY)
    assert sorted(e["column"] for e in job.errors) == ["Категория", "Статус"]
    by_head = import_validate(by=head, kind="clients", uploaded_file=upload("c.csv", content.encode()), today=TODAY)
    assert by_head.error_count == 0  # the head moving a base in may bring its categories
