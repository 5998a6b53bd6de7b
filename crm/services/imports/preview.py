"""A read-only look at a checked file: the recognised columns and the first rows the import will take."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from crm.models import ImportJob

from . import client_rows as clients
from . import sale_rows as sales
from .readers import Column, map_columns, open_table
from .values import text

COLUMNS: dict[str, Sequence[Column]] = {ImportJob.Kind.CLIENTS: clients.COLUMNS, ImportJob.Kind.SALES: sales.COLUMNS}


@dataclass
class Preview:
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def import_preview(*, job: ImportJob, limit: int = 10, max_stored_errors: int = 1000) -> Preview:
    """Up to `limit` rows without errors, in the file's order, showing only the columns the import reads."""
    bad_rows = {error["row"] for error in job.errors}
    # Only the first errors are stored: past the last stored one, a row's errors are unknown, so stop there.
    last_known = max(bad_rows) if len(job.errors) >= max_stored_errors else None
    preview = Preview()
    try:
        with job.file.open("rb") as handle, open_table(handle) as table:
            columns = map_columns(table.headers, COLUMNS[job.kind])
            positions = [(name, position) for name, position in columns.index.items()]
            positions.sort(key=lambda item: item[1])
            preview.headers = [columns.label(name) for name, _position in positions]
            for row_number, values in table.rows:
                if last_known is not None and row_number > last_known:
                    break
                if row_number in bad_rows:
                    continue
                preview.rows.append((row_number, [text(values[position]) for _name, position in positions]))
                if len(preview.rows) >= limit:
                    break
    except (OSError, ValidationError):
        # The file was checked on upload; if it has gone missing since, the page still shows the totals.
        return Preview()
    return preview
