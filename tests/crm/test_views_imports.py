"""The import page: upload and dry run, preview with row errors, confirm, progress, samples, exports, access."""

import csv
import io
import re
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from crm.models import Client, ImportJob, SaleLine
from crm.services.imports import import_run, import_validate
from crm.views.imports import ERRORS_PAGE_SIZE

DATA = Path(__file__).parent / "data"
BAD_CLIENTS = "Наименование;ИНН;Телефон\r\nООО Один;7707083893;+74951234567\r\nООО Два;12345;+74951234568\r\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def logged_in(client, user):
    client.force_login(user)
    return client


def upload(client, content: bytes, name="clients.csv", **fields):
    data = {"kind": "clients", "strict": "on", **fields}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("import_list"), data)


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/imports/(\d+)/", response["Location"])
    assert match, response["Location"]
    return ImportJob.objects.get(pk=int(match.group(1)))


def text_of(html: str, name: str) -> str:
    """The text inside the element with data-testid=`name` (whose content is plain text)."""
    match = re.search(rf'data-testid="{name}"[^>]*>([^<]*)<', html)
    assert match, f"no {name} in the page"
    return match.group(1).strip()


def make_job(user, **fields) -> ImportJob:
    defaults = {"kind": ImportJob.Kind.CLIENTS, "original_name": "clients.csv", "file": "imports/x.csv"}
    return ImportJob.objects.create(created_by=user, **{**defaults, **fields})


# --- upload, preview, confirm --------------------------------------------------------------------------------


def test_a_good_cp1251_clients_file_is_previewed_then_confirmed_and_shows_done_100_per_cent(client, head, manager):
    viewer = logged_in(client, head)

    job = job_of(upload(viewer, (DATA / "clients_1c_cp1251.csv").read_bytes(), name="clients_1c_cp1251.csv"))

    assert not Client.objects.exists()
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert (text_of(html, "import-total"), text_of(html, "import-valid"), text_of(html, "import-error-rows")) == (
        "3",
        "3",
        "0",
    )
    assert 'data-testid="import-preview"' in html
    assert "ООО «Ромашка»" in html and "7710140679" in html
    assert 'data-testid="import-confirm"' in html
    assert 'data-testid="import-errors"' not in html

    response = viewer.post(reverse("import_confirm", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert set(Client.objects.values_list("inn", flat=True)) == {"7707083893", "7736207543", "7710140679"}
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-progress" data-status="done"' in html
    assert 'aria-valuenow="100"' in html and "100&nbsp;%" in html
    assert text_of(html, "import-created") == "3"
    assert text_of(html, "import-skipped") == "0"
    assert 'hx-trigger="every 1s"' not in html
    assert 'data-testid="import-confirm"' not in html


def test_a_bad_file_lists_row_errors_with_row_column_and_message(client, head):
    viewer = logged_in(client, head)

    job = job_of(upload(viewer, BAD_CLIENTS.encode("cp1251")))

    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert text_of(html, "import-error-rows") == "1"
    rows = re.findall(r'data-testid="import-error"><td[^>]*>(\d+)</td><td[^>]*>([^<]*)</td><td>([^<]+)</td>', html)
    assert [(row, column) for row, column, _message in rows] == [("3", "ИНН")]
    assert rows[0][2].strip()


def test_a_strict_check_with_errors_cannot_be_confirmed_and_writes_nothing(client, head):
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, BAD_CLIENTS.encode("cp1251")))
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-confirm"' not in html
    assert 'data-testid="import-refusal"' in html

    response = viewer.post(reverse("import_confirm", args=[job.pk]), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="alert alert-danger alert-dismissible"' in page
    assert "1" in text_of(page, "import-error-rows")
    assert not Client.objects.exists()
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.VALIDATED, 0)


def test_a_non_strict_check_imports_the_good_rows_and_previews_only_them(client, head):
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, BAD_CLIENTS.encode("cp1251"), strict=""))
    assert job.strict is False
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "ООО Один" in html and "ООО Два" not in html.split('data-testid="import-errors"')[0]

    viewer.post(reverse("import_confirm", args=[job.pk]))

    assert list(Client.objects.values_list("name", flat=True)) == ["ООО Один"]
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert (text_of(html, "import-created"), text_of(html, "import-errors-count")) == ("1", "1")


def test_an_xlsx_file_is_previewed_as_text_in_the_order_of_its_columns(client, head):
    workbook = Workbook()
    workbook.active.append(["ИНН", "Наименование", "Посторонний столбец"])
    workbook.active.append([7707083893, "ООО Таблица", "не читается"])
    buffer = BytesIO()
    workbook.save(buffer)
    viewer = logged_in(client, head)

    job = job_of(upload(viewer, buffer.getvalue(), name="clients.xlsx"))

    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()
    preview = html.split('data-testid="import-preview"')[1]
    assert re.findall(r"<th>([^<]+)</th>", preview)[:2] == ["ИНН", "Наименование"]
    assert "<td>7707083893</td><td>ООО Таблица</td>" in preview
    assert "не читается" not in preview


def test_confirming_twice_adds_nothing_the_second_time(client, head, manager):
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, (DATA / "clients_1c_cp1251.csv").read_bytes()))
    viewer.post(reverse("import_confirm", args=[job.pk]))

    response = viewer.post(reverse("import_confirm", args=[job.pk]), follow=True)

    assert 'class="alert alert-danger alert-dismissible"' in response.content.decode()
    assert Client.objects.count() == 3


def test_many_row_errors_are_paginated(client, head):
    lines = ["Наименование;ИНН"] + [f"ООО Клиент {i};123" for i in range(ERRORS_PAGE_SIZE + 5)]
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, "\r\n".join(lines).encode("cp1251"), strict=""))
    url = reverse("import_detail", args=[job.pk])

    first = viewer.get(url).content.decode()
    second = viewer.get(url, {"page": 2}).content.decode()

    assert first.count('data-testid="import-error"') == ERRORS_PAGE_SIZE
    assert second.count('data-testid="import-error"') == 5
    assert "?page=2" in first


def test_a_large_file_is_queued_and_its_page_polls_the_progress_until_done(
    client, head, manager, settings, django_capture_on_commit_callbacks
):
    settings.CRM_IMPORT_ASYNC_ROWS = 2
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, (DATA / "clients_1c_cp1251.csv").read_bytes()))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        viewer.post(reverse("import_confirm", args=[job.pk]))
    html = viewer.get(reverse("import_detail", args=[job.pk])).content.decode()

    assert 'data-status="queued"' in html
    assert f'hx-get="{reverse("import_progress", args=[job.pk])}" hx-trigger="every 1s"' in html
    assert not Client.objects.exists()
    for callback in callbacks:
        callback()  # the Celery task, run eagerly in tests
    fragment = viewer.get(reverse("import_progress", args=[job.pk])).content.decode()
    assert 'data-status="done"' in fragment and "100&nbsp;%" in fragment
    assert "hx-trigger" not in fragment
    assert Client.objects.count() == 3


def test_the_progress_fragment_shows_the_share_of_rows_read_and_polls_only_while_running(client, manager):
    job = make_job(manager, status=ImportJob.Status.RUNNING, total_rows=200, valid_rows=200, processed_rows=50)
    viewer = logged_in(client, manager)
    url = reverse("import_progress", args=[job.pk])

    running = viewer.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message="Сбой при записи")
    failed = viewer.get(url).content.decode()

    assert 'aria-valuenow="25"' in running and "25&nbsp;%" in running
    assert 'hx-trigger="every 1s"' in running
    assert "<html" not in running
    assert 'data-status="failed"' in failed and "Сбой при записи" in failed
    assert "hx-trigger" not in failed


# --- the upload form keeps what was chosen -------------------------------------------------------------------


def test_uploading_without_a_file_keeps_the_chosen_kind_and_strict_option(client, head):
    response = upload(logged_in(client, head), None, kind="sales", strict="")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert 'id="id_file_errors"' in html
    assert re.search(r'<option value="sales"[^>]*selected', html)
    assert re.search(r'<input type="checkbox" name="strict"[^>]*>', html)
    assert "checked" not in re.search(r'<input type="checkbox" name="strict"[^>]*>', html).group(0)
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("columns.csv", "Фамилия;Город\r\nИванов;Тверь\r\n".encode("cp1251")),
        ("bad.csv", b"name\r\n\xff\xfe\x98\x98\r\n"),
        ("empty.csv", b"   "),
    ],
)
def test_an_unreadable_file_shows_the_reason_under_the_file_and_keeps_the_kind(client, head, name, content):
    response = upload(logged_in(client, head), content, name=name, kind="sales", strict="")

    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'id="id_file_errors">(.*?)</div></div>', html, re.S)
    assert errors and errors.group(1).strip()
    assert re.search(r'<option value="sales"[^>]*selected', html)
    assert not ImportJob.objects.exists()


def test_a_manager_is_offered_only_clients_and_cannot_post_a_sales_file(client, manager):
    viewer = logged_in(client, manager)

    html = viewer.get(reverse("import_list")).content.decode()
    response = upload(viewer, (DATA / "sales_1c_cp1251.csv").read_bytes(), kind="sales")

    assert '<option value="clients"' in html and '<option value="sales"' not in html
    assert reverse("import_sample", args=["clients"]) in html
    assert reverse("import_sample", args=["sales"]) not in html
    assert response.status_code == 200 and 'id="id_kind_errors"' in response.content.decode()
    assert not ImportJob.objects.exists()


# --- who sees what --------------------------------------------------------------------------------------------


def job_urls(job):
    return [
        reverse("import_detail", args=[job.pk]),
        reverse("import_progress", args=[job.pk]),
        reverse("import_errors_export", args=[job.pk]),
    ]


def test_a_manager_cannot_open_or_confirm_another_users_import(client, manager, other_manager):
    foreign = job_of(
        upload(logged_in(client, other_manager), BAD_CLIENTS.encode("cp1251"), name="petrov.csv", strict="")
    )
    viewer = logged_in(client, manager)

    for url in job_urls(foreign):
        assert viewer.get(url).status_code == 404, url
    response = viewer.post(reverse("import_confirm", args=[foreign.pk]))

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ImportJob.Status.VALIDATED
    assert not Client.objects.exists()
    html = viewer.get(reverse("import_list")).content.decode()
    assert "petrov.csv" not in html and reverse("import_detail", args=[foreign.pk]) not in html


def test_the_head_sees_every_users_imports_with_their_author(client, head, manager, other_manager):
    mine = make_job(manager, original_name="ivanov-clients.csv")
    theirs = make_job(other_manager, original_name="petrov-clients.csv")

    html = logged_in(client, head).get(reverse("import_list")).content.decode()

    for job in (mine, theirs):
        assert reverse("import_detail", args=[job.pk]) in html
    assert str(manager) in html and str(other_manager) in html
    assert client.get(reverse("import_detail", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("role_fixture", ["service_owner", "vip_head"])
def test_roles_that_import_nothing_get_403_on_every_import_url(client, request, role_fixture, manager):
    job = make_job(manager)
    viewer = logged_in(client, request.getfixturevalue(role_fixture))
    urls = [
        reverse("import_list"),
        reverse("import_list_export"),
        reverse("import_sample", args=["clients"]),
        *job_urls(job),
    ]

    for url in urls:
        assert viewer.get(url).status_code == 403, url
    assert viewer.post(reverse("import_confirm", args=[job.pk])).status_code == 403
    assert upload(viewer, (DATA / "clients_1c_cp1251.csv").read_bytes()).status_code == 403
    assert ImportJob.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("import_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role_fixture", ["manager", "team_lead", "base_manager", "head", "admin_user"])
def test_the_roles_that_import_clients_open_the_page(client, request, role_fixture):
    assert logged_in(client, request.getfixturevalue(role_fixture)).get(reverse("import_list")).status_code == 200


# --- query count -----------------------------------------------------------------------------------------------


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_imports(client, head, manager, other_manager):
    authors = [manager, other_manager, head]
    for i in range(3):
        make_job(authors[i % 3], errors=[{"row": 2, "column": "ИНН", "message": "x"}])
    viewer = logged_in(client, head)
    few = queries_of(viewer, reverse("import_list"))
    for i in range(27):
        make_job(authors[i % 3], status=ImportJob.Status.DONE, created_count=i)

    assert queries_of(viewer, reverse("import_list")) == few
    assert 'data-testid="import-row"' in viewer.get(reverse("import_list")).content.decode()


def test_the_detail_runs_the_same_number_of_queries_for_3_and_30_error_rows(client, head):
    viewer = logged_in(client, head)
    job = make_job(
        head, status=ImportJob.Status.FAILED, errors=[{"row": i, "column": "ИНН", "message": "x"} for i in range(3)]
    )
    few = queries_of(viewer, reverse("import_detail", args=[job.pk]))
    job.errors = [{"row": i, "column": "ИНН", "message": "x"} for i in range(30)]
    job.save()

    assert queries_of(viewer, reverse("import_detail", args=[job.pk])) == few


# --- samples and exports ----------------------------------------------------------------------------------------


def test_the_sample_files_are_cp1251_semicolon_csv_with_russian_headers_that_import_cleanly(client, head):
    viewer = logged_in(client, head)
    samples = {}
    for kind in ("clients", "sales"):
        response = viewer.get(reverse("import_sample", args=[kind]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        samples[kind] = response.content
        header = next(csv.reader(io.StringIO(response.content.decode("cp1251")), delimiter=";"))
        assert header[0] in ("Наименование", "Дата") and "ИНН" in header

    clients = import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.csv", samples["clients"]))
    assert (clients.error_count, clients.errors) == (0, [])
    import_run(job=clients, by=head)
    sales = import_validate(by=head, kind="sales", uploaded_file=SimpleUploadedFile("s.csv", samples["sales"]))
    assert (sales.error_count, sales.errors) == (0, [])
    import_run(job=sales, by=head)

    assert Client.objects.count() == 2
    assert SaleLine.objects.count() == 3


def test_a_manager_cannot_download_the_sales_sample_and_an_unknown_kind_is_404(client, manager):
    viewer = logged_in(client, manager)

    assert viewer.get(reverse("import_sample", args=["sales"])).status_code == 403
    assert viewer.get(reverse("import_sample", args=["deals"])).status_code == 404


def test_the_errors_of_a_job_export_to_xlsx_with_row_column_and_message(client, head):
    viewer = logged_in(client, head)
    job = job_of(upload(viewer, BAD_CLIENTS.encode("cp1251")))

    response = viewer.get(reverse("import_errors_export", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-errors.xlsx"'
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:2] == (3, "ИНН") and rows[1][2]


def test_the_list_exports_exactly_the_visible_imports(client, manager, other_manager):
    make_job(manager, original_name="mine.csv")
    make_job(other_manager, original_name="theirs.csv")

    response = logged_in(client, manager).get(reverse("import_list_export"))

    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["mine.csv"]


# --- print ----------------------------------------------------------------------------------------------------


def test_the_a4_print_stylesheet_is_served_and_hides_navigation(live_server):
    # The live server's own http:// address: the scheme is known.
    with urllib.request.urlopen(f"{live_server.url}/static/css/app.css") as response:  # noqa: S310
        css = response.read().decode()

    start = css.index("/* --- Print (A4)")
    end = css.find("/* ---", start + 1)
    section = css[start : end if end > 0 else len(css)]
    assert "@media print" in section
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*12mm;?\s*}", section)
    assert ".navbar" in section and ".d-print-none" in section
