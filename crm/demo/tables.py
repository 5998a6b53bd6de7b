"""Fast writes of generated rows: COPY on PostgreSQL, batched INSERTs elsewhere, with ids assigned here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Max

# Rows per COPY / INSERT batch: large enough to be fast, small enough to keep memory flat.
BATCH = 20_000


def money(kopecks: int) -> Decimal:
    return Decimal(kopecks).scaleb(-2)


class Table:
    """Buffered writes of full rows (dicts of column values) to one table, with ids assigned here."""

    def __init__(self, model: type[models.Model], *, batch: int = BATCH, parents: tuple[Table, ...] = ()) -> None:
        self.model = model
        self.batch = batch
        # Tables whose rows this one points to: flushed first, so that every key exists when a row arrives.
        self.parents = parents
        self.columns = [f.column for f in model._meta.concrete_fields]
        self.attnames = [f.attname for f in model._meta.concrete_fields]
        self.defaults = [f.get_default() for f in model._meta.concrete_fields]
        # A unique UUID is drawn for each row, not once for the table.
        self.fresh = [
            f.default if isinstance(f, models.UUIDField) and callable(f.default) else None
            for f in model._meta.concrete_fields
        ]
        self.datetimes = [i for i, f in enumerate(model._meta.concrete_fields) if isinstance(f, models.DateTimeField)]
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        start = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        self.next_id = start + 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, values: dict[str, Any]) -> None:
        self.rows.append(
            tuple(
                values[a] if a in values else (make() if make is not None else d)
                for a, d, make in zip(self.attnames, self.defaults, self.fresh, strict=True)
            )
        )
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                adapt = connection.ops.adapt_datetimefield_value
                rows: Iterable[tuple[Any, ...]] = self.rows
                if self.datetimes:
                    rows = [
                        tuple(adapt(v) if i in self.datetimes else v for i, v in enumerate(row)) for row in self.rows
                    ]
                if any(make is not None for make in self.fresh):
                    # SQLite keeps a UUID as its 32 hex digits, as Django's UUIDField does there.
                    rows = [tuple(v.hex if isinstance(v, uuid.UUID) else v for v in row) for row in rows]
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(rows))
        self.count += len(self.rows)
        self.rows = []
