"""OWASP's CSV-injection payloads and the check that an exported workbook holds none of them live."""

from io import BytesIO

from openpyxl import load_workbook

# Each one is evaluated by Excel or LibreOffice when it opens a cell starting with it; the last three show that
# a tab, a CR or spaces in front do not help.
FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "  =1",
]


def _would_run(text: str) -> bool:
    return text.startswith(("\t", "\r", "\n")) or text.lstrip(" \t\r\n\u00a0").startswith(("=", "+", "-", "@"))


def workbook_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_no_live_formulas(content: bytes) -> int:
    """No formula cell and no text a spreadsheet would run; returns how many payload cells came out inert."""
    cells = [cell for row in load_workbook(BytesIO(content)).active.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if _would_run(text)] == []
    payloads = [f.replace("\r", "\n").strip() for f in FORMULAS]  # XML reads a CR back as a LF
    return sum(1 for text in texts if text.startswith("'") and any(p in text for p in payloads))
