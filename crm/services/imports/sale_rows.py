"""Sales history rows (1C "реализации" lines) and how millions of them reach the database.

Columns (Russian or English header): Дата/date*, Номер документа/Документ/document*, Строка/line (when
absent, the line is the ordinal of the document's row within the file), ИНН/inn* (the client must already
be in the base), КПП/kpp, Артикул/sku (an existing product), Количество/quantity (default 1),
Сумма/amount*, Маржа/margin, Оплачено/paid (да/нет, 1/0, yes/no; a filled payment date also means paid),
Дата оплаты/paid_date, Менеджер/manager (username or e-mail; default: the client's owner). * = required.

A line is identified by (document number, date, line); a line already in the base is skipped, so
importing the same file twice adds nothing.

On PostgreSQL the valid rows are streamed with COPY into a bare temporary table (no keys, no indexes) and
moved into `crm_saleline` by one `INSERT ... SELECT ... ON CONFLICT DO NOTHING`; elsewhere (SQLite on a
developer's machine) they are bulk-inserted in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from crm.models import Client, Product, SaleLine, User
from crm.models.validators import validate_inn

from .readers import Column, ColumnMap
from .values import CellError, parse_bool, parse_date, parse_decimal, text

COLUMNS = (
    Column("date", ("Дата", "Дата документа", "date"), required=True),
    Column("document", ("Номер документа", "Документ", "Номер", "document", "document number"), required=True),
    Column("line", ("Строка", "Номер строки", "№ строки", "line", "line no"), required=False),
    Column("inn", ("ИНН", "ИНН контрагента", "inn"), required=True),
    Column("kpp", ("КПП", "kpp")),
    Column("sku", ("Артикул", "sku", "article")),
    Column("quantity", ("Количество", "Кол-во", "quantity", "qty")),
    Column("amount", ("Сумма", "Сумма с НДС", "amount"), required=True),
    Column("margin", ("Маржа", "Валовая прибыль", "margin")),
    Column("paid", ("Оплачено", "Оплата", "paid", "is paid")),
    Column("paid_date", ("Дата оплаты", "paid date")),
    Column("manager", ("Менеджер", "Ответственный", "manager")),
)

# The order of the values of a parsed line; also the columns of the staging table.
FIELDS = (
    "date",
    "document_number",
    "line_no",
    "client_id",
    "product_id",
    "quantity",
    "amount",
    "margin",
    "is_paid",
    "paid_date",
    "manager_id",
)
STAGING_COLUMNS = """
    date date, document_number varchar(64), line_no integer, client_id bigint, product_id bigint,
    quantity numeric(14, 3), amount numeric(14, 2), margin numeric(14, 2), is_paid boolean, paid_date date,
    manager_id bigint
"""
BATCH_SIZE = 5000
ONE = Decimal(1)

SaleRow = tuple[date, str, int, int, int | None, Decimal, Decimal, Decimal | None, bool, date | None, int | None]


def _client_lookup() -> tuple[dict[str, tuple[int, int | None]], dict[tuple[str, str], tuple[int, int | None]]]:
    by_inn: dict[str, tuple[int, int | None]] = {}
    by_inn_kpp: dict[tuple[str, str], tuple[int, int | None]] = {}
    rows = Client.objects.exclude(inn="").order_by("pk").values_list("inn", "kpp", "pk", "owner_id")
    for inn, kpp, pk, owner_id in rows.iterator(chunk_size=10000):
        by_inn.setdefault(inn, (pk, owner_id))
        by_inn_kpp.setdefault((inn, kpp), (pk, owner_id))
    return by_inn, by_inn_kpp


def _user_lookup() -> dict[str, int]:
    users: dict[str, int] = {}
    for pk, username, email in User.objects.values_list("pk", "username", "email"):
        users[username.lower()] = pk
        if email:
            users.setdefault(email.lower(), pk)
    return users


@dataclass
class SaleRows:
    """Turns rows into sale line values; clients, products and managers are looked up in dicts loaded once."""

    columns: ColumnMap
    clients: dict[str, tuple[int, int | None]] = field(init=False)
    clients_kpp: dict[tuple[str, str], tuple[int, int | None]] = field(init=False)
    products: dict[str, int] = field(init=False)
    users: dict[str, int] = field(init=False)
    line_counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clients, self.clients_kpp = _client_lookup()
        self.products = dict(Product.objects.values_list("sku", "pk"))
        self.users = _user_lookup()
        self.at = {name: self.columns.index.get(name) for name in (c.field for c in COLUMNS)}

    def parse(self, values: list[Any]) -> tuple[SaleRow | None, dict[str, str]]:
        """(the line's values in FIELDS order, errors by column field) for one row."""
        at = self.at
        errors: dict[str, str] = {}
        line_no, day, amount = 0, date.min, Decimal(0)

        document = text(values[at["document"]])  # type: ignore[index]
        if at["line"] is None:
            line_no = self.line_counters.get(document, 0) + 1
            self.line_counters[document] = line_no
        if not document:
            errors["document"] = _("The document number is required.")
        elif len(document) > 64:
            errors["document"] = _("The document number is longer than 64 characters.")

        try:
            day = parse_date(values[at["date"]])  # type: ignore[index]
        except CellError as exc:
            errors["date"] = str(exc)

        if at["line"] is not None:
            raw_line = text(values[at["line"]])
            if raw_line.isdigit() and 0 < int(raw_line) < 2**31:
                line_no = int(raw_line)
            else:
                errors["line"] = _("%(value)s is not a line number.") % {"value": raw_line}

        inn = text(values[at["inn"]])  # type: ignore[index]
        kpp = text(values[at["kpp"]]) if at["kpp"] is not None else ""
        found = self.clients_kpp.get((inn, kpp)) if kpp else self.clients.get(inn)
        if found is None:
            if not inn:
                errors["inn"] = _("The client's INN is required.")
            else:
                try:
                    validate_inn(inn)
                    errors["inn"] = _("Client with INN %(inn)s not found - import clients first.") % {"inn": inn}
                except ValidationError as exc:
                    errors["inn"] = exc.messages[0]
        client_id, owner_id = found or (0, None)

        product_id = None
        if at["sku"] is not None:
            sku = text(values[at["sku"]])
            if sku:
                product_id = self.products.get(sku)
                if product_id is None:
                    errors["sku"] = _("Product with SKU %(sku)s not found.") % {"sku": sku}

        quantity = ONE
        if at["quantity"] is not None and text(values[at["quantity"]]):
            try:
                quantity = parse_decimal(values[at["quantity"]], places=3, max_digits=14)
            except CellError as exc:
                errors["quantity"] = str(exc)

        try:
            raw_amount = values[at["amount"]]  # type: ignore[index]
            if not text(raw_amount):
                raise CellError(_("The amount is required."))
            amount = parse_decimal(raw_amount, places=2, max_digits=14)
        except CellError as exc:
            errors["amount"] = str(exc)

        margin = None
        if at["margin"] is not None and text(values[at["margin"]]):
            try:
                margin = parse_decimal(values[at["margin"]], places=2, max_digits=14)
            except CellError as exc:
                errors["margin"] = str(exc)

        paid_date = None
        if at["paid_date"] is not None and text(values[at["paid_date"]]):
            try:
                paid_date = parse_date(values[at["paid_date"]])
            except CellError as exc:
                errors["paid_date"] = str(exc)
        is_paid: bool | None = None
        if at["paid"] is not None:
            try:
                is_paid = parse_bool(values[at["paid"]])
            except CellError as exc:
                errors["paid"] = str(exc)
        if is_paid is None:
            is_paid = paid_date is not None or "paid_date" in errors
        if is_paid and paid_date is None and "paid_date" not in errors:
            errors["paid_date" if at["paid_date"] is not None else "paid"] = _("A paid line needs the payment date.")
        if not is_paid:
            paid_date = None

        manager_id = owner_id
        if at["manager"] is not None:
            manager = text(values[at["manager"]])
            if manager:
                manager_id = self.users.get(manager.lower())
                if manager_id is None:
                    errors["manager"] = _("Manager %(value)s not found (give a username or an e-mail).") % {
                        "value": manager
                    }

        if errors:
            return None, errors
        row = (day, document, line_no, client_id, product_id, quantity, amount, margin, is_paid, paid_date, manager_id)
        return row, {}


class SaleWriter(Protocol):
    """Collects valid lines outside the import transaction; `flush()` (inside it) writes them, returning the count."""

    def add(self, rows: list[SaleRow]) -> None: ...

    def flush(self) -> int: ...

    def close(self) -> None: ...


class StagingCopyWriter:
    """PostgreSQL: COPY into a bare temporary table, then one INSERT ... SELECT that skips known lines."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.table = f"crm_saleline_staging_{int(job_id)}"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} ({STAGING_COLUMNS})")

    def add(self, rows: list[SaleRow]) -> None:
        if not rows:
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({', '.join(FIELDS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def flush(self) -> int:
        columns = ", ".join(FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SaleLine._meta.db_table} ({columns}, import_job_id, created_at, updated_at) "
                f"SELECT {columns}, %s, now(), now() FROM {self.table} "
                # In key order the unique index is filled page by page instead of at random.
                "ORDER BY document_number, date, line_no "
                "ON CONFLICT ON CONSTRAINT saleline_document_line DO NOTHING",
                [self.job_id],
            )
            return cursor.rowcount

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


class BulkCreateWriter:
    """Other databases (SQLite for local work): keep the lines, then bulk-insert ignoring known ones."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.rows: list[SaleRow] = []

    def add(self, rows: list[SaleRow]) -> None:
        self.rows.extend(rows)

    def flush(self) -> int:
        before = SaleLine.objects.filter(import_job_id=self.job_id).count()
        for start in range(0, len(self.rows), BATCH_SIZE):
            batch = [
                SaleLine(**dict(zip(FIELDS, row, strict=True)), import_job_id=self.job_id)
                for row in self.rows[start : start + BATCH_SIZE]
            ]
            SaleLine.objects.bulk_create(batch, ignore_conflicts=True)
        return SaleLine.objects.filter(import_job_id=self.job_id).count() - before

    def close(self) -> None:
        self.rows = []


def sale_writer(job_id: int) -> SaleWriter:
    if connection.vendor == "postgresql":
        return StagingCopyWriter(job_id)
    return BulkCreateWriter(job_id)
