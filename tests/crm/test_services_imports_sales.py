"""Import of sales history: 1C formats, row errors, strict mode, idempotency, the COPY staging path, Celery."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from crm.models import ImportJob, SaleLine
from crm.services.imports import import_run, import_validate, sale_rows
from crm.tasks import run_import_task
from tests.crm.factories import ClientFactory, ProductFactory, SaleLineFactory, make_inn

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def base(manager, other_manager):
    """The clients and products the sample files refer to."""
    return {
        "romashka": ClientFactory(inn="7707083893", kpp="773601001", owner=manager),
        "vector": ClientFactory(inn="7736207543", kpp="", owner=other_manager),
        "alfa": ClientFactory(inn="7728168971", kpp="772801001", owner=manager),
        "sku_a": ProductFactory(sku="SKU-A"),
        "sku_b": ProductFactory(sku="SKU-B"),
    }


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def sample(name: str) -> SimpleUploadedFile:
    return upload(name, (DATA / name).read_bytes())


def csv_file(lines: list[str], *, encoding: str = "utf-8") -> SimpleUploadedFile:
    return upload("sales.csv", ("\r\n".join(lines) + "\r\n").encode(encoding))


def import_sales(by, file, *, strict: bool = True) -> ImportJob:
    job = import_validate(by=by, kind=ImportJob.Kind.SALES, uploaded_file=file, strict=strict)
    return import_run(job=job, by=by)


def test_a_1c_cp1251_file_with_decimal_commas_imports_every_line(head, base, manager, other_manager):
    job = import_sales(head, sample("sales_1c_cp1251.csv"))

    assert (job.status, job.encoding, job.delimiter) == (ImportJob.Status.DONE, "cp1251", ";")
    assert (job.total_rows, job.created_count, job.skipped_count, job.error_count) == (3, 3, 0, 0)
    first, second, third = SaleLine.objects.order_by("document_number", "line_no")
    assert (first.date, first.document_number, first.line_no) == (date(2026, 11, 22), "РН-000001", 1)
    assert (first.client, first.product, first.quantity) == (base["romashka"], base["sku_a"], Decimal("2.000"))
    assert (first.amount, first.margin, first.is_paid, first.paid_date) == (
        Decimal("1234.50"),
        Decimal("200.00"),
        True,
        date(2026, 11, 25),
    )
    assert (first.manager, first.import_job) == (manager, job)
    assert (second.line_no, second.amount, second.is_paid, second.paid_date) == (2, Decimal("3000.00"), False, None)
    # No manager in the file: the line goes to the client's owner; no SKU: no product.
    assert (third.date, third.line_no, third.client, third.product) == (date(2026, 11, 23), 1, base["vector"], None)
    assert (third.quantity, third.amount, third.manager) == (Decimal("1.500"), Decimal("1234.50"), other_manager)


def test_a_utf8_file_with_bom_commas_and_english_headers_imports(head, base):
    job = import_sales(head, sample("sales_utf8_bom.csv"))

    assert (job.encoding, job.delimiter, job.created_count) == ("utf-8-sig", ",", 2)
    line = SaleLine.objects.get(document_number="INV-1", line_no=1)
    assert (line.amount, line.margin, line.paid_date) == (Decimal("1234.50"), Decimal("100.00"), date(2026, 11, 24))
    assert SaleLine.objects.get(document_number="INV-1", line_no=2).quantity == Decimal("2.000")


def test_an_xlsx_file_with_excel_dates_and_numbers_imports(head, base):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Дата", "Документ", "Строка", "ИНН", "Сумма", "Оплачено", "Дата оплаты"])
    sheet.append([date(2026, 10, 1), "РН-77", 1, 7707083893, 1500.5, "да", date(2026, 10, 3)])
    sheet.append(["02.10.2026", "РН-78", 1, "7736207543", "2 000,00", "нет", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = import_sales(head, upload("sales.xlsx", buffer.getvalue()))

    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
    line = SaleLine.objects.get(document_number="РН-77")
    assert (line.date, line.amount, line.client, line.paid_date) == (
        date(2026, 10, 1),
        Decimal("1500.50"),
        base["romashka"],
        date(2026, 10, 3),
    )


def test_bad_rows_are_reported_with_their_row_and_the_column_as_named_in_the_file(head, base):
    lines = [
        "Дата;Номер документа;ИНН;Артикул;Сумма;Оплачено;Дата оплаты;Менеджер",
        "22.11.2026;РН-1;7707083893;SKU-A;100,00;да;22.11.2026;ivanov",
        "31.02.2026;РН-2;7707083893;;100,00;;;",
        "22.11.2026;РН-3;7707083893;;сто рублей;;;",
        f"22.11.2026;РН-4;{make_inn(999)};;100;;;",
        "22.11.2026;РН-5;7707083894;;100;;;",
        "22.11.2026;РН-6;7707083893;NO-SUCH-SKU;100;;;",
        "22.11.2026;РН-7;7707083893;;100;;;nobody",
        "22.11.2026;РН-8;7707083893;;100;да;;",
        "22.11.2026;РН-9;7707083893;;100;может быть;;",
    ]

    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines, encoding="cp1251"))

    assert (job.total_rows, job.valid_rows, job.error_count) == (9, 1, 8)
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "Дата"),
        (4, "Сумма"),
        (5, "ИНН"),
        (6, "ИНН"),
        (7, "Артикул"),
        (8, "Менеджер"),
        (9, "Дата оплаты"),
        (10, "Оплачено"),
    ]
    assert make_inn(999) in job.errors[2]["message"]
    assert not SaleLine.objects.exists()


def test_strict_mode_writes_nothing_at_all_when_one_row_turns_bad_at_import_time(head, base):
    lines = ["Дата;Документ;ИНН;Сумма", "22.11.2026;РН-1;7707083893;100", "22.11.2026;РН-2;7728168971;200"]
    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines))
    assert job.error_count == 0
    SaleLineFactory(client=base["vector"])
    # The client of row 3 disappears between the check and the import.
    base["alfa"].delete()
    before = SaleLine.objects.count()

    job = import_run(job=job, by=head)

    assert (job.status, job.error_count, job.created_count) == (ImportJob.Status.FAILED, 1, 0)
    assert job.errors[0]["row"] == 3
    assert job.finished_at is not None
    assert SaleLine.objects.count() == before == 1
    assert not SaleLine.objects.filter(document_number="РН-1").exists()


def test_strict_mode_refuses_to_confirm_a_file_whose_check_found_errors(head, base):
    lines = ["Дата;Документ;ИНН;Сумма", "22.11.2026;РН-1;7707083893;100", "22.11.2026;РН-2;7707083893;abc"]
    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines))

    with pytest.raises(ValidationError):
        import_run(job=job, by=head)

    assert not SaleLine.objects.exists()


def test_non_strict_mode_writes_the_good_rows_and_reports_the_bad_ones(head, base):
    lines = ["Дата;Документ;ИНН;Сумма", "22.11.2026;РН-1;7707083893;100", "22.11.2026;РН-2;7707083893;abc"]

    job = import_sales(head, csv_file(lines), strict=False)

    assert (job.status, job.created_count, job.error_count) == (ImportJob.Status.DONE, 1, 1)
    assert job.errors == [{"row": 3, "column": "Сумма", "message": job.errors[0]["message"]}]
    assert list(SaleLine.objects.values_list("document_number", flat=True)) == ["РН-1"]


def test_importing_the_same_file_twice_adds_nothing(head, base):
    first = import_sales(head, sample("sales_1c_cp1251.csv"))
    count = SaleLine.objects.count()

    second = import_sales(head, sample("sales_1c_cp1251.csv"))

    assert (first.created_count, count) == (3, 3)
    assert (second.status, second.created_count, second.skipped_count) == (ImportJob.Status.DONE, 0, 3)
    assert SaleLine.objects.count() == count


def test_lines_already_in_the_base_are_skipped_by_their_natural_key(head, base):
    SaleLineFactory(document_number="РН-000001", date=date(2026, 11, 22), line_no=1, client=base["romashka"])

    job = import_sales(head, sample("sales_1c_cp1251.csv"))

    assert (job.created_count, job.skipped_count) == (2, 1)
    assert SaleLine.objects.count() == 3


def test_on_postgresql_lines_are_copied_to_staging_and_moved_by_one_insert_select(head, base):
    lines = ["Дата;Документ;ИНН;Сумма"] + [f"22.11.2026;РН-{n};7707083893;{n},50" for n in range(1, 251)]
    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines))

    with CaptureQueriesContext(connection) as queries:
        job = import_run(job=job, by=head)

    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    sale_inserts = [sql for sql in inserts if "crm_saleline" in sql and "staging" not in sql.split("(")[0]]
    assert connection.vendor == "postgresql"
    assert len(sale_inserts) == 1
    assert "SELECT" in sale_inserts[0] and "ON CONFLICT ON CONSTRAINT saleline_document_line" in sale_inserts[0]
    assert (job.created_count, SaleLine.objects.count()) == (250, 250)
    assert len(queries.captured_queries) < 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'crm_saleline_staging_%%'")
        assert cursor.fetchone()[0] == 0


def test_a_large_file_runs_as_a_celery_task_and_ends_done_with_full_progress(
    head, base, settings, django_capture_on_commit_callbacks
):
    settings.CRM_IMPORT_ASYNC_ROWS = 5
    lines = ["Дата;Документ;ИНН;Сумма"] + [f"22.11.2026;РН-{n};7707083893;100" for n in range(1, 21)]
    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = import_run(job=job, by=head)

    assert queued.status == ImportJob.Status.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.processed_rows, job.created_count) == (ImportJob.Status.DONE, 100, 20, 20)
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert SaleLine.objects.count() == 20


def test_the_task_leaves_a_finished_job_alone_so_a_redelivery_is_harmless(head, base):
    job = import_sales(head, sample("sales_1c_cp1251.csv"))

    assert run_import_task(job.pk, head.pk) == ImportJob.Status.DONE
    assert SaleLine.objects.count() == 3


def test_a_job_cannot_be_run_twice(head, base):
    job = import_sales(head, sample("sales_1c_cp1251.csv"))

    with pytest.raises(ValidationError) as exc:
        import_run(job=job, by=head)
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize("role", ["manager", "team_lead", "base_manager", "vip_head", "service_owner"])
def test_only_the_head_and_the_admin_import_sales_history(role, request, base):
    with pytest.raises(PermissionDenied):
        import_validate(by=request.getfixturevalue(role), kind="sales", uploaded_file=sample("sales_utf8_bom.csv"))


def test_the_admin_imports_sales_history(admin_user, base):
    assert import_sales(admin_user, sample("sales_utf8_bom.csv")).created_count == 2


def test_a_missing_required_column_fails_the_file_naming_the_column(head, base):
    with pytest.raises(ValidationError) as exc:
        import_validate(
            by=head, kind="sales", uploaded_file=csv_file(["Дата;Документ;ИНН", "22.11.2026;РН-1;7707083893"])
        )

    assert "Сумма" in exc.value.message_dict["file"][0]


def test_progress_is_written_outside_the_import_transaction_every_batch_of_rows(head, base, monkeypatch):
    monkeypatch.setattr("crm.services.imports.PROGRESS_EVERY", 5)
    lines = ["Дата;Документ;ИНН;Сумма"] + [f"22.11.2026;РН-{n};7707083893;100" for n in range(1, 21)]
    job = import_validate(by=head, kind="sales", uploaded_file=csv_file(lines))

    with CaptureQueriesContext(connection) as queries:
        job = import_run(job=job, by=head)

    sql = [q["sql"] for q in queries.captured_queries]
    progress = [n for n, q in enumerate(sql) if q.startswith('UPDATE "crm_importjob" SET "processed_rows"')]
    insert = next(n for n, q in enumerate(sql) if q.startswith("INSERT INTO crm_saleline"))
    assert len(progress) == 4
    assert max(progress) < insert
    assert (job.status, job.processed_rows, job.created_count) == (ImportJob.Status.DONE, 20, 20)


def test_the_fallback_writer_for_other_databases_is_idempotent_too(head, base, monkeypatch):
    monkeypatch.setattr("crm.services.imports.sale_rows.sale_writer", sale_rows.BulkCreateWriter)

    first = import_sales(head, sample("sales_1c_cp1251.csv"))
    second = import_sales(head, sample("sales_1c_cp1251.csv"))

    assert (first.created_count, second.created_count, second.skipped_count) == (3, 0, 3)
    assert SaleLine.objects.count() == 3
