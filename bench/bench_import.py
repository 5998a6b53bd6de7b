"""Benchmark: import of sales lines (a 1C export, cp1251, `;`) through crm.services.imports.

`python -m bench.bench_import --scale full [--trace]` prints one JSON object: the check (validate) and the
import (run) timed separately, a re-import of the same file (adds nothing), the process's peak memory, and with
--trace the tracemalloc peak of each step (tracing slows Python, so times and traced peaks come from separate
runs; `python -m bench` does both).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.harness import AS_OF, SCALES, Scale, database_label, django_setup, max_rss_mb, timed, traced

HEADERS = [
    "Дата",
    "Номер документа",
    "Строка",
    "ИНН",
    "Артикул",
    "Количество",
    "Сумма",
    "Маржа",
    "Оплачено",
    "Дата оплаты",
    "Менеджер",
]
DOCUMENT_PREFIX = "ИМП-"
LINES_PER_DOCUMENT = 5


def rubles(kopecks: int) -> str:
    """1C writes money with a decimal comma."""
    return f"{kopecks // 100},{kopecks % 100:02d}"


def write_sales_csv(path: Path, *, lines: int, seed: int = 1) -> dict[str, Any]:
    """A sales export of `lines` lines for clients, products and managers that exist in the database."""
    from crm.models import Client, Product

    rng = random.Random(seed)
    clients = list(
        Client.objects.filter(owner__isnull=False).order_by("pk").values_list("inn", "owner__username")[:5000]
    )
    products = list(Product.objects.order_by("pk").values_list("sku", "price"))
    if not clients or not products:
        raise SystemExit("The bench database has no clients or products: run `python -m bench` to generate them.")
    documents = (lines + LINES_PER_DOCUMENT - 1) // LINES_PER_DOCUMENT
    written = 0
    with path.open("w", encoding="cp1251", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(HEADERS)
        for number in range(1, documents + 1):
            inn, manager = rng.choice(clients)
            sold_on = AS_OF - timedelta(days=rng.randint(1, 90))
            paid = rng.random() < 0.8
            paid_on = min(sold_on + timedelta(days=rng.randint(0, 20)), AS_OF - timedelta(days=1)) if paid else None
            for line_no in range(1, LINES_PER_DOCUMENT + 1):
                if written == lines:
                    break
                sku, price = rng.choice(products)
                quantity = rng.randint(1, 20)
                amount = int(price * 100) * quantity
                out.writerow(
                    [
                        sold_on.strftime("%d.%m.%Y"),
                        f"{DOCUMENT_PREFIX}{number:07d}",
                        line_no,
                        inn,
                        sku,
                        quantity,
                        rubles(amount),
                        rubles(amount * rng.randint(10, 30) // 100),
                        "да" if paid else "нет",
                        paid_on.strftime("%d.%m.%Y") if paid_on else "",
                        manager,
                    ]
                )
                written += 1
    return {"lines": written, "documents": documents, "bytes": path.stat().st_size}


def forget_previous_imports() -> int:
    """Remove what earlier runs imported, so that every run measures a real import."""
    from django.db import connection

    from crm.models import SaleLine

    # A raw DELETE: nothing points to sales lines, and the ORM's delete would load them all first.
    return SaleLine.objects.filter(document_number__startswith=DOCUMENT_PREFIX)._raw_delete(connection.alias)


def run(scale: Scale, *, trace: bool = False) -> dict[str, Any]:
    from django.test import override_settings

    from crm.models import ImportJob, SaleLine, User
    from crm.services.imports import import_run, import_validate

    head = User.objects.get(username="head")
    report: dict[str, Any] = {"database": database_label(), "scale": scale.name, "trace": trace}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media, CRM_IMPORT_ASYNC_ROWS=10**9):
        path = Path(media) / "sales-1c.csv"
        report["file"] = write_sales_csv(path, lines=scale.import_lines)
        report["removed_before"] = forget_previous_imports()
        report["rss_before_mb"] = max_rss_mb()

        def validate() -> ImportJob:
            return import_validate(by=head, kind=ImportJob.Kind.SALES, uploaded_file=path, today=AS_OF)

        def execute(job: ImportJob) -> ImportJob:
            return import_run(job=job, by=head, today=AS_OF)

        if trace:
            with traced() as memory:
                job = validate()
            report["validate"] = memory
            with traced() as memory:
                job = execute(job)
            report["run"] = memory
        else:
            job, seconds = timed(validate)
            report["validate"] = {"seconds": seconds, "rows": job.total_rows, "errors": job.error_count}
            report["validate"]["rss_peak_mb"] = max_rss_mb()
            job, seconds = timed(lambda: execute(job))
            report["run"] = {"seconds": seconds, "status": job.status, "created": job.created_count}
            report["run"]["rss_peak_mb"] = max_rss_mb()
            lines = report["file"]["lines"]
            report["run"]["lines_per_second"] = round(lines / seconds) if seconds else None
            # The same file again: the check and the import find every line already there.
            again, seconds = timed(lambda: execute(validate()))
            report["reimport"] = {"seconds": seconds, "created": again.created_count, "skipped": again.skipped_count}
        if job.status != ImportJob.Status.DONE:
            raise SystemExit(f"import failed: {job.message} {job.errors[:5]}")
        report["imported_lines_in_db"] = SaleLine.objects.filter(import_job=job).count()
        report["rss_peak_mb"] = max_rss_mb()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--trace", action="store_true", help="Measure tracemalloc peaks instead of times.")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale], trace=args.trace), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
