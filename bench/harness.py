"""What every benchmark shares: Django against DATABASE_URL, the scales, the bench data set, measuring."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

RESULTS = Path(__file__).resolve().parent / "results"
# The benchmarks' own "today", so that every run measures the same data.
AS_OF = date(2026, 11, 23)
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    name: str
    clients: int
    managers: int
    deals: int
    import_lines: int
    runs: int
    sale_lines: int | None = None  # None: as many as the clients' buying habits give


SCALES: dict[str, Scale] = {
    # A quick check that everything runs.
    "small": Scale("small", clients=1_000, managers=12, deals=10_000, import_lines=10_000, runs=5),
    # Issue 2's figures: 10 000 clients, 100 000 deals, an import of 100 000 lines.
    "full": Scale("full", clients=10_000, managers=50, deals=100_000, import_lines=100_000, runs=10),
    # What the planning and analytics work needs: 100 000 clients and about 3 million sales lines.
    "huge": Scale(
        "huge", clients=100_000, managers=50, deals=100_000, import_lines=100_000, runs=10, sale_lines=3_000_000
    ),
}


def django_setup() -> None:
    """Django on the database in DATABASE_URL; the benchmarks refuse the developer's default SQLite file."""
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL to a database the benchmark may fill and wipe, e.g. "
            "postgres://postgres@127.0.0.1:5432/salesdept_bench"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdept.settings.local")
    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict.get('NAME')}"


def ensure_dataset(scale: Scale, *, regenerate: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The department of this scale in the database: kept when already there, else (re)generated and timed."""
    from django.db import connection

    from crm.demo.generator import generate, is_generated, wipe
    from crm.models import Client, Deal, Role, User

    managers = User.objects.filter(role=Role.MANAGER).count()
    present = Client.objects.count() == scale.clients and Deal.objects.count() == scale.deals
    present = present and managers == scale.managers and User.objects.filter(username="head").exists()
    if present and not regenerate:
        log(f"data set '{scale.name}' already in {database_label()}")
        return {"generated": False}
    if is_generated():
        name = str(connection.settings_dict.get("NAME", ""))
        if "bench" not in name and os.environ.get("BENCH_ALLOW_WIPE") != "1":
            sys.exit(f"{name} holds other data: the benchmark only wipes a database whose name says 'bench'.")
        log(f"wiping {database_label()}")
        wipe()
    log(f"generating '{scale.name}': {scale.clients} clients, {scale.deals} deals, {scale.managers} managers")
    started = time.perf_counter()
    result = generate(
        clients=scale.clients,
        managers=scale.managers,
        deals=scale.deals,
        as_of=AS_OF,
        sale_lines=scale.sale_lines,
        progress=lambda message: log(f"  {message}"),
    )
    seconds = time.perf_counter() - started
    log(f"generated in {seconds:.1f} s: {result.as_dict()}")
    if connection.vendor == "postgresql":
        # As autovacuum would before the first morning (and this machine's PostgreSQL runs without it): the
        # generator's updates leave as many dead rows as live ones, and no index-only scan without a visibility map.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    return {"generated": True, "seconds": round(seconds, 2), "rows": result.as_dict()}


def max_rss_mb() -> float:
    """This process's own peak resident memory so far, in MB.

    Not `getrusage(RUSAGE_SELF).ru_maxrss`: on Linux that survives fork + exec, so a benchmark child started by
    `subprocess.run` would report its parent's peak (after generating the data set, the generator's ~280 MB).
    `VmHWM` in /proc/self/status is the high-water mark of this process's own address space, which exec starts
    afresh; the getrusage figure is the fallback where /proc is missing (macOS reports bytes there).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 / (1024 if sys.platform == "darwin" else 1), 1)


@contextmanager
def traced() -> Iterator[dict[str, float]]:
    """The peak of Python allocations inside the block, in MB (tracemalloc slows the code: time separately)."""
    figures: dict[str, float] = {}
    tracemalloc.start()
    try:
        yield figures
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["tracemalloc_peak_mb"] = round(peak / 1024 / 1024, 1)


def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = function()
    return value, round(time.perf_counter() - started, 3)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def write_result(name: str, scale: Scale, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{scale.name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def time_get(client: Any, path: str, params: dict[str, str], runs: int) -> tuple[dict[str, Any], Any]:
    """GET `path` once to warm up, then `runs` times: median/min/max in ms, the query count and the slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path, params)
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: {response.status_code} {response.content[:300]!r}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path, params)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    figures = {
        "median_ms": median_ms(samples),
        "min_ms": round(min(samples) * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
        "queries": len(queries.captured_queries),
        "kb": round(len(response.content) / 1024, 1),
        "slowest_query_ms": round(max((float(q["time"]) * 1000 for q in queries.captured_queries), default=0.0), 1),
    }
    return figures, response
