"""The plan tools' rules of thumb (DOMAIN.md section 4; seed 001, 3.1 A and B)."""

# Tool 2 is "not more than one A4 page" [001 3.1 B]: about this many lines fit one printed sheet with the headings.
TOOL2_PAGE_LINES = 40


def fits_one_page(lines: int, *, page_lines: int = TOOL2_PAGE_LINES) -> bool:
    return lines <= page_lines
