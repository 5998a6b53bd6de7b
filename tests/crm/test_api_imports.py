"""The import API: upload and dry run, confirm, progress, and the 400 / 403 / 404 answers."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.models import Client, ImportJob, SaleLine
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory

DATA = Path(__file__).parent / "data"
URL = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def post_file(user, file, **fields):
    return api_as(user).post(URL, {"file": file, **fields}, format="multipart")


def test_upload_answers_201_with_the_dry_run_and_writes_no_clients(head, manager):
    response = post_file(head, sample("clients_1c_cp1251.csv"), kind="clients")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["total_rows"], body["valid_rows"], body["error_count"]) == ("validated", 3, 3, 0)
    assert (body["strict"], body["errors"], body["progress"]) == (True, [], 0)
    assert not Client.objects.exists()


def test_the_dry_run_lists_row_errors_with_row_column_and_message(head):
    content = "Наименование;ИНН\r\nООО Один;12345\r\n".encode("cp1251")

    response = post_file(head, SimpleUploadedFile("c.csv", content), kind="clients", strict="false")

    assert response.status_code == 201
    body = response.json()
    assert body["strict"] is False
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "ИНН")]
    assert body["errors"][0]["message"]


def test_confirm_imports_and_answers_202_with_the_finished_job(head, manager):
    job_id = post_file(head, sample("clients_1c_cp1251.csv"), kind="clients").json()["id"]

    response = api_as(head).post(f"{URL}{job_id}/confirm/")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["created_count"], body["progress"]) == ("done", 3, 100)
    assert Client.objects.count() == 3
    detail = api_as(head).get(f"{URL}{job_id}/").json()
    assert (detail["status"], detail["processed_rows"]) == ("done", 3)


def test_confirming_twice_answers_400_and_adds_nothing(head, manager):
    job_id = post_file(head, sample("clients_1c_cp1251.csv"), kind="clients").json()["id"]
    api_as(head).post(f"{URL}{job_id}/confirm/")

    response = api_as(head).post(f"{URL}{job_id}/confirm/")

    assert response.status_code == 400
    assert "status" in field_errors(response)
    assert Client.objects.count() == 3


def test_confirming_a_strict_dry_run_with_errors_answers_400(head):
    content = b"name;inn\r\nOne;7707083893\r\nTwo;123\r\n"
    job_id = post_file(head, SimpleUploadedFile("c.csv", content), kind="clients").json()["id"]

    response = api_as(head).post(f"{URL}{job_id}/confirm/")

    assert response.status_code == 400
    assert "file" in field_errors(response)
    assert not Client.objects.exists()


def test_a_sales_file_goes_through_upload_and_confirm(head, manager):
    ClientFactory(inn="7707083893", owner=manager)
    ClientFactory(inn="7736207543", owner=manager)
    body = "Дата;Документ;ИНН;Сумма\r\n22.11.2026;РН-1;7707083893;1 000,00\r\n23.11.2026;РН-2;7736207543;50\r\n"
    job_id = post_file(head, SimpleUploadedFile("s.csv", body.encode("cp1251")), kind="sales").json()["id"]

    response = api_as(head).post(f"{URL}{job_id}/confirm/")

    assert (response.status_code, response.json()["created_count"]) == (202, 2)
    assert SaleLine.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("broken.xlsx", b"PK\x03\x04garbage"),
        ("columns.csv", b"foo;bar\r\n1;2\r\n"),
        ("bad.csv", b"name\r\n\xff\xfe\x98\x98\r\n"),
    ],
)
def test_a_bad_file_answers_400_with_an_error_on_the_file_field(head, name, content):
    response = post_file(head, SimpleUploadedFile(name, content), kind="clients")

    assert response.status_code == 400
    assert "file" in field_errors(response)
    assert not ImportJob.objects.exists()


def test_a_missing_file_or_an_unknown_kind_answers_400(head):
    assert "file" in field_errors(api_as(head).post(URL, {"kind": "clients"}, format="multipart"))
    response = post_file(head, sample("clients_utf8_bom.csv"), kind="deals")
    assert response.status_code == 400
    assert "kind" in field_errors(response)


def test_a_service_owner_may_not_import_and_gets_403(service_owner):
    response = post_file(service_owner, sample("clients_utf8_bom.csv"), kind="clients")

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_a_manager_may_not_import_sales_history(manager):
    assert post_file(manager, sample("sales_utf8_bom.csv"), kind="sales").status_code == 403


def test_another_users_job_answers_404_and_cannot_be_confirmed(manager, other_manager):
    job_id = post_file(manager, sample("clients_utf8_bom.csv"), kind="clients").json()["id"]

    other = api_as(other_manager)
    assert other.get(f"{URL}{job_id}/").status_code == 404
    assert other.post(f"{URL}{job_id}/confirm/").status_code == 404
    assert other.get(URL).json()["count"] == 0
    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED


def test_the_head_sees_every_job_and_a_manager_only_his_own(head, manager, other_manager):
    post_file(manager, sample("clients_utf8_bom.csv"), kind="clients")
    post_file(other_manager, sample("clients_utf8_bom.csv"), kind="clients")

    assert api_as(head).get(URL).json()["count"] == 2
    assert api_as(manager).get(URL).json()["count"] == 1
    assert api_as(manager).get(URL, {"kind": "sales"}).json()["count"] == 0


def test_a_large_file_is_queued_and_finished_by_the_celery_task(
    head, manager, settings, django_capture_on_commit_callbacks
):
    settings.CRM_IMPORT_ASYNC_ROWS = 2
    job_id = post_file(head, sample("clients_1c_cp1251.csv"), kind="clients").json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(head).post(f"{URL}{job_id}/confirm/")

    assert (response.status_code, response.json()["status"]) == (202, "queued")
    detail = api_as(head).get(f"{URL}{job_id}/").json()
    assert (detail["status"], detail["progress"], detail["created_count"]) == ("done", 100, 3)


def test_the_upload_body_is_described_as_multipart_in_the_schema(head):
    response = api_as(head).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    create = response.json()["paths"][URL]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
