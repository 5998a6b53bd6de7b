"""Reading an uploaded table: CSV (UTF-8 with or without BOM, or cp1251; `;`, `,` or tab) or XLSX.

The first row holds the column names; rows are numbered as in the file, the header being row 1.
Empty rows are skipped. A file that cannot be read raises `ValidationError({"file": [...]})`.

The limits (settings `CRM_IMPORT_MAX_*`, docs/import.md) hold before anything is parsed: the file's size, and
for an XLSX, a zip, the sizes its entries declare, read from the zip's directory; the rows while they are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SAMPLE_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_ZIP_ENTRIES = 10_000  # a workbook has a few dozen parts
RATIO_FROM_BYTES = 1024 * 1024  # small parts (styles, shared strings of a few rows) may pack tighter
MB = 1024 * 1024


def bad_file(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


@dataclass(frozen=True)
class Column:
    """A column the importer knows: the field it fills and the header names it is recognised by."""

    field: str
    aliases: tuple[str, ...]
    required: bool = False


def normalize_header(value: Any) -> str:
    header = str(value or "").replace("\ufeff", "").replace("\u00a0", " ").lower().replace("ё", "е")
    header = header.strip().rstrip("*:").strip()
    return " ".join(header.replace("_", " ").split())


@dataclass
class ColumnMap:
    """Which position of a row holds each field, and the header as the file spells it (for errors)."""

    index: dict[str, int] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def label(self, name: str) -> str:
        return self.header.get(name, "")


def map_columns(headers: Sequence[Any], columns: Sequence[Column]) -> ColumnMap:
    """Match the file's headers to known columns (Russian or English); missing required ones fail the file."""
    by_alias = {normalize_header(alias): col.field for col in columns for alias in col.aliases}
    result = ColumnMap()
    for position, raw in enumerate(headers):
        name = by_alias.get(normalize_header(raw))
        if name and name not in result.index:
            result.index[name] = position
            result.header[name] = str(raw).replace("\ufeff", "").strip()
    missing = [f"{col.aliases[0]} / {col.field}" for col in columns if col.required and col.field not in result.index]
    if missing:
        raise bad_file(_("The file has no column for: %(columns)s.") % {"columns": ", ".join(missing)})
    return result


@dataclass
class Table:
    """An open table: its headers and a one-pass iterator of (row number, cell values)."""

    format: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str = ""
    delimiter: str = ""


def _as_binary(fileobj: Any) -> IO[bytes]:
    if hasattr(fileobj, "open") and getattr(fileobj, "closed", False):
        fileobj.open("rb")
    fileobj.seek(0)
    return fileobj


def _detect_encoding(sample: bytes, complete: bool) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise bad_file(_("This is not a CSV or XLSX file."))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1251")
    except UnicodeDecodeError:
        raise bad_file(_("The file is neither UTF-8 nor Windows-1251 (cp1251) text.")) from None
    return "cp1251"


def _sniff_delimiter(first_line: str) -> str:
    """The header line decides: decimal commas live in data rows, never in column names."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _is_empty(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def too_many_rows(row_number: int) -> None:
    """The header is row 1; empty rows count too, since reading them costs the same."""
    if row_number - 1 > settings.CRM_IMPORT_MAX_ROWS:
        raise bad_file(_("The file has more than %(rows)s rows: split it.") % {"rows": settings.CRM_IMPORT_MAX_ROWS})


def _csv_rows(reader: Iterator[list[str]], width: int, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    row_number = 1
    try:
        for values in reader:
            row_number += 1
            too_many_rows(row_number)
            if _is_empty(values):
                continue
            if len(values) < width:
                values = values + [""] * (width - len(values))
            yield row_number, values
    except UnicodeDecodeError:
        raise bad_file(
            _("Row %(row)s is not valid %(encoding)s text.") % {"row": row_number + 1, "encoding": encoding}
        ) from None
    except csv.Error as exc:
        raise bad_file(
            _("Row %(row)s cannot be read as CSV: %(error)s") % {"row": row_number + 1, "error": exc}
        ) from None


def _xlsx_rows(rows: Iterator[tuple[Any, ...]], width: int) -> Iterator[tuple[int, list[Any]]]:
    row_number = 1
    try:
        for row_number, cells in enumerate(rows, start=2):
            too_many_rows(row_number)
            values = list(cells)
            if _is_empty(values):
                continue
            if len(values) < width:
                values += [None] * (width - len(values))
            yield row_number, values
    except ValidationError:
        raise
    except Exception:  # a broken archive or sheet XML, whichever XML parser openpyxl uses
        raise bad_file(_("Row %(row)s of the XLSX file cannot be read.") % {"row": row_number + 1}) from None


def check_limits(fileobj: Any) -> None:
    """What can be refused without reading the rows: the file's size, an XLSX's zip directory (a zip bomb)."""
    binary = _as_binary(fileobj)
    binary.seek(0, os.SEEK_END)
    size = binary.tell()
    binary.seek(0)
    if size > settings.CRM_IMPORT_MAX_BYTES:
        limit = settings.CRM_IMPORT_MAX_BYTES / MB
        raise bad_file(_("The file is larger than %(size)s MB: split it.") % {"size": f"{limit:g}"})
    if binary.read(len(XLSX_MAGIC)) == XLSX_MAGIC:
        binary.seek(0)
        check_zip(binary)
    binary.seek(0)


@contextmanager
def open_table(fileobj: Any) -> Iterator[Table]:
    """Open a Django File / UploadedFile (or any binary file object) as a table; the file stays open."""
    binary = _as_binary(fileobj)
    binary.seek(0, os.SEEK_END)
    size = binary.tell()
    binary.seek(0)
    if size > settings.CRM_IMPORT_MAX_BYTES:
        limit = settings.CRM_IMPORT_MAX_BYTES / MB
        raise bad_file(_("The file is larger than %(size)s MB: split it.") % {"size": f"{limit:g}"})
    sample = binary.read(SAMPLE_BYTES)
    binary.seek(0)
    if not sample.strip():
        raise bad_file(_("The file is empty."))
    if sample.startswith(XLS_MAGIC):
        raise bad_file(_("Old Excel .xls files are not supported: save the file as XLSX or CSV."))
    if sample.startswith(XLSX_MAGIC):
        check_zip(binary)
        with _open_xlsx(binary) as table:
            yield table
        return
    encoding = _detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
    wrapper = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        try:
            first_line = wrapper.readline()
        except UnicodeDecodeError:
            raise bad_file(_("The file is neither UTF-8 nor Windows-1251 (cp1251) text.")) from None
        delimiter = _sniff_delimiter(first_line)
        reader = csv.reader(io.StringIO(first_line), delimiter=delimiter)
        headers = [h.strip() for h in next(reader, [])]
        if _is_empty(headers):
            raise bad_file(_("The first row must hold the column names."))
        rows = csv.reader(wrapper, delimiter=delimiter)
        yield Table("csv", headers, _csv_rows(rows, len(headers), encoding), encoding, delimiter)
    finally:
        # Detach so that closing the text layer does not close the caller's file.
        wrapper.detach()


def check_zip(binary: IO[bytes]) -> None:
    """Refuse a zip bomb from the zip's directory alone, before a byte is unpacked: the entries' declared sizes
    (unpacking stops at the declared size, so a part cannot lie bigger) and how tightly a large part is packed."""
    try:
        with zipfile.ZipFile(binary) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise bad_file(_("The XLSX file cannot be read.")) from None
    finally:
        binary.seek(0)
    refused = bad_file(
        _("The XLSX file unpacks to more than %(size)s MB or is packed suspiciously tight; save it again or as CSV.")
        % {"size": f"{settings.CRM_IMPORT_MAX_UNPACKED_BYTES / MB:g}"}
    )
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > settings.CRM_IMPORT_MAX_UNPACKED_BYTES:
        raise refused
    ratio = settings.CRM_IMPORT_MAX_ZIP_RATIO
    if any(e.file_size > RATIO_FROM_BYTES and e.file_size > ratio * max(e.compress_size, 1) for e in entries):
        raise refused


@contextmanager
def _open_xlsx(binary: IO[bytes]) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception:  # not a zip, not a workbook, broken XML: all the same to the user
        raise bad_file(_("The XLSX file cannot be read.")) from None
    try:
        if not workbook.worksheets:
            raise bad_file(_("The file is empty."))
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, values_only=True)
        first = next(rows, None)
        if first is None or _is_empty(first):
            raise bad_file(_("The first row must hold the column names."))
        headers = ["" if h is None else str(h).strip() for h in first]
        while headers and not headers[-1]:
            headers.pop()
        yield Table("xlsx", headers, _xlsx_rows(rows, len(headers)))
    finally:
        workbook.close()
