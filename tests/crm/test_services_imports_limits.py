"""An import file within its limits (issue 10): size, rows and, for an XLSX, what it unpacks to. A zip bomb is
refused from the zip's directory, before a byte is unpacked: in well under a second, with flat memory."""

import io
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from crm.models import ImportJob, ProspectEntry
from crm.services.imports import import_validate
from crm.services.prospects import prospect_entries_import, prospect_list_create
from tests.api_errors import field_errors
from tests.conftest import api_as

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def write_bomb(path: Path, unpacked_mb: int = 1400) -> Path:
    """An XLSX-looking zip whose sheet is `unpacked_mb` MB of zeros packed about 1000 times, written as it goes.

    Deflate blocks ended by a full flush start afresh, so one packed megabyte of zeros is the same bytes every
    time: packing it once keeps the test fast and its own memory at a megabyte."""
    chunk = b"\0" * MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(unpacked_mb):
        crc = zlib.crc32(chunk, crc)
    sheet = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
    sheet.compress_type = zipfile.ZIP_DEFLATED
    sheet.file_size, sheet.compress_size, sheet.CRC = unpacked_mb * MB, unpacked_mb * len(block) + len(end), crc
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        assert archive.fp is not None
        sheet.header_offset = archive.fp.tell()
        archive.fp.write(sheet.FileHeader(zip64=False))
        for _ in range(unpacked_mb):
            archive.fp.write(block)
        archive.fp.write(end)
        archive.filelist.append(sheet)
        archive.NameToInfo[sheet.filename] = sheet
        archive.start_dir = archive.fp.tell()
    return path


@pytest.fixture
def bomb(tmp_path) -> Path:
    path = write_bomb(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path) as archive:  # a real zip, and it really unpacks to 1.4 GB
        assert sum(entry.file_size for entry in archive.infolist()) > 1400 * MB - 1
        with archive.open("xl/worksheets/sheet1.xml") as sheet:
            assert sheet.read(MB) == b"\0" * MB
    assert path.stat().st_size < 4 * MB
    return path


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_in_under_a_second_with_flat_memory(head, bomb):
    with bomb.open("rb") as handle:
        upload = SimpleUploadedFile("bomb.xlsx", b"")
        upload.file = handle
        tracemalloc.start()
        started = time.perf_counter()
        try:
            with pytest.raises(ValidationError) as exc:
                import_validate(by=head, kind="clients", uploaded_file=upload)
            elapsed = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert list(exc.value.message_dict) == ["file"]
    assert elapsed < 1
    assert peak < 5 * MB
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_on_the_import_page_comes_back_on_the_form(client, head, bomb):
    client.force_login(head)
    with bomb.open("rb") as handle:
        response = client.post(reverse("import_list"), {"kind": "clients", "strict": "on", "file": handle})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_through_the_api_is_a_400_under_file(head, bomb):
    with bomb.open("rb") as handle:
        response = api_as(head).post("/api/v1/imports/", {"kind": "clients", "file": handle}, format="multipart")

    assert response.status_code == 400, response.content
    assert "file" in field_errors(response)


def test_a_zip_bomb_as_a_prospect_list_file_is_refused(base_manager, manager, bomb):
    prospect_list = prospect_list_create(by=base_manager, owner=manager, name="Список")
    with bomb.open("rb") as handle, pytest.raises(ValidationError) as exc:
        prospect_entries_import(prospect_list=prospect_list, by=base_manager, file=handle)

    assert list(exc.value.message_dict) == ["file"]
    assert not ProspectEntry.objects.exists()


def test_a_sheet_packed_far_tighter_than_any_workbook_is_refused(head, tmp_path):
    """Written honestly by zipfile: 50 MB of one character packs about 1000 times."""
    path = tmp_path / "tight.xlsx"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        for _ in range(50):
            sheet.write(b"<" * MB)

    with path.open("rb") as handle, pytest.raises(ValidationError) as exc:
        import_validate(by=head, kind="clients", uploaded_file=handle)

    assert "file" in exc.value.message_dict


def test_an_xlsx_that_unpacks_beyond_the_setting_is_refused(head, settings):
    content = xlsx([["Наименование"], *[[f"ООО Клиент {i}"] for i in range(50)]])
    settings.CRM_IMPORT_MAX_UNPACKED_BYTES = 2000

    with pytest.raises(ValidationError) as exc:
        import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.xlsx", content))

    assert "file" in exc.value.message_dict


def test_an_ordinary_xlsx_passes_the_zip_checks(head):
    content = xlsx([["Наименование"], *[[f"ООО Клиент {i}"] for i in range(500)]])

    job = import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.xlsx", content))

    assert (job.total_rows, job.error_count) == (500, 0)


def test_a_file_larger_than_the_setting_is_refused_before_it_is_read(head, settings):
    settings.CRM_IMPORT_MAX_BYTES = 1000
    content = ("Наименование\r\n" + "ООО Клиент\r\n" * 200).encode()

    with pytest.raises(ValidationError) as exc:
        import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.csv", content))

    assert "file" in exc.value.message_dict
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_more_rows_than_the_setting_is_refused(head, settings, fmt):
    settings.CRM_IMPORT_MAX_ROWS = 3
    rows = [["Наименование"], *[[f"ООО Клиент {i}"] for i in range(4)]]
    content = "\r\n".join(row[0] for row in rows).encode() if fmt == "csv" else xlsx(rows)

    with pytest.raises(ValidationError) as exc:
        import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile(f"c.{fmt}", content))

    assert "file" in exc.value.message_dict
    assert not ImportJob.objects.exists()


def test_a_file_of_exactly_the_row_limit_is_read(head, settings):
    settings.CRM_IMPORT_MAX_ROWS = 3
    content = "\r\n".join(["Наименование", "ООО А", "ООО Б", "ООО В"]).encode()

    job = import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.csv", content))

    assert job.total_rows == 3
