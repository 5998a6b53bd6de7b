from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.exports import Column, xlsx_bytes, xlsx_response


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
