import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.exports import Column, csv_response, xlsx_bytes, xlsx_response
from tests.formulas import FORMULAS, assert_no_live_formulas


def test_xlsx_keeps_money_and_dates_typed_under_translated_headers():
    rows = [{"name": "ООО «Ромашка»", "sum": Decimal("1234567.50"), "day": date(2026, 11, 22)}]
    columns = [
        Column("Клиент", lambda r: r["name"]),
        Column("Сумма", lambda r: r["sum"], money=True),
        Column("Дата", lambda r: r["day"]),
        Column("Создано", lambda r: datetime(2026, 11, 22, 9, 30, tzinfo=UTC)),
    ]

    sheet = load_workbook(BytesIO(xlsx_bytes(title="Клиенты", columns=columns, rows=rows))).active

    assert [c.value for c in sheet[1]] == ["Клиент", "Сумма", "Дата", "Создано"]
    assert sheet["A2"].value == "ООО «Ромашка»"
    assert sheet["B2"].value == 1234567.5 and "₽" in sheet["B2"].number_format
    assert sheet["C2"].value == datetime(2026, 11, 22) and sheet["C2"].number_format == "DD.MM.YYYY"
    assert sheet["D2"].value == datetime(2026, 11, 22, 12, 30)  # Moscow time


def test_xlsx_response_is_an_attachment():
    response = xlsx_response(filename="clients", title="x", columns=[Column("A", str)], rows=["1"])

    assert response["Content-Disposition"] == 'attachment; filename="clients.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_xlsx_writes_every_would_be_formula_as_text_behind_an_apostrophe():
    columns = [
        Column("=Заголовок", lambda r: r),
        Column("Сумма", lambda r: -5),
        Column("Дата", lambda r: date(2026, 1, 9)),
    ]

    content = xlsx_bytes(title="Клиенты", columns=columns, rows=FORMULAS)

    assert assert_no_live_formulas(content) == len(FORMULAS)
    sheet = load_workbook(BytesIO(content)).active
    written = [sheet.cell(row=n, column=1).value for n in range(2, len(FORMULAS) + 2)]
    assert written == ["'" + f.replace("\r", "\n") for f in FORMULAS]  # XML reads a CR back as a LF
    assert sheet["A1"].value == "'=Заголовок"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"  # numbers stay numbers
    assert sheet["C2"].value == datetime(2026, 1, 9) and sheet["C2"].data_type == "d"


def test_xlsx_leaves_ordinary_text_alone_and_drops_control_characters():
    columns = [Column("A", lambda r: r)]
    rows = ["ООО «Ромашка»", "a=b", "7707083893", "Ромашка\x01"]

    sheet = load_workbook(BytesIO(xlsx_bytes(title="x", columns=columns, rows=rows))).active

    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "ООО «Ромашка»",
        "a=b",
        "7707083893",
        "Ромашка",
    ]


def test_csv_makes_every_would_be_formula_inert_and_keeps_numbers():
    response = csv_response(filename="errors", rows=[["Ошибка", 1], *[[f, 2] for f in FORMULAS]])

    assert response["Content-Disposition"] == 'attachment; filename="errors.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["Ошибка", "1"]
    assert [row[0] for row in rows[1:]] == ["'" + f for f in FORMULAS]
    assert {row[1] for row in rows[1:]} == {"2"}


def test_a_sheet_title_with_characters_excel_refuses_is_cleaned_not_a_500():
    content = xlsx_bytes(title="=cmd|' /C calc'!A0", columns=[Column("A", str)], rows=["1"])

    assert load_workbook(BytesIO(content)).active.title == "=cmd|'  C calc'!A0"
