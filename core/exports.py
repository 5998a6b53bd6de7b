"""Every list exports to XLSX (and the import samples to CSV): one helper, fed by the same queryset the page shows.

Every text cell is written as text and made inert if a spreadsheet would evaluate it (OWASP "CSV injection"):
a client named `=HYPERLINK(...)` by a manager must not become a live formula in the head's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0.00 "₽"'
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
CSV_TYPE = "text/csv"
# What makes Excel, LibreOffice or Google Sheets read a cell as a formula or a DDE call (OWASP), and the
# whitespace they skip before it.
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
SKIPPED_BEFORE = " \t\r\n\u00a0"


@dataclass(frozen=True)
class Column:
    title: Any  # a (lazy) translatable string
    value: Callable[[Any], Any]
    money: bool = False
    width: int = 18


def inert_text(value: str) -> str:
    """The text with a leading apostrophe if a spreadsheet would evaluate it, else unchanged."""
    if value.startswith(CONTROL_STARTS) or value.lstrip(SKIPPED_BEFORE).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Any) -> str:
    # openpyxl refuses control characters (a 500 on a name pasted with one); they mean nothing in a cell.
    return inert_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (Decimal, int, float, date)) or value is None:
        return value
    return _text(value)


def xlsx_bytes(*, title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """A one-sheet workbook: a bold header, money and dates typed so Excel sums and sorts them."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    # A sheet name may not hold \ / ? * [ ] : (a list named by a user could): they become spaces.
    sheet.title = INVALID_TITLE_REGEX.sub(" ", str(title))[:31].strip() or "Sheet"
    sheet.append([_text(column.title) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(column.value(row)) for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_col=index, max_col=index):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever openpyxl guessed
            if cell.row == 1:
                continue
            if column.money:
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, title: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    """Send the list as `<filename>.xlsx` (ASCII file name, so every browser keeps it)."""
    response = HttpResponse(xlsx_bytes(title=title, columns=columns, rows=rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def csv_response(
    *, filename: str, rows: Iterable[Sequence[Any]], delimiter: str = ";", encoding: str = "utf-8"
) -> HttpResponse:
    """Send rows as `<filename>.csv`, every text made inert the way the XLSX helper does it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([inert_text(value) if isinstance(value, str) else value for value in row] for row in rows)
    response = HttpResponse(buffer.getvalue().encode(encoding), content_type=f"{CSV_TYPE}; charset={encoding}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
