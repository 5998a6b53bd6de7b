"""`python -m bench [--scale small|full|huge] [--only import|deals] [--regenerate]`: run the benchmarks.

Against the database in DATABASE_URL (PostgreSQL for figures that mean something). The data set of the scale is
generated once and kept; each benchmark runs in its own process so that its peak memory is its own. Prints a
table and writes bench/results/<benchmark>-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

from bench.harness import SCALES, database_label, django_setup, ensure_dataset, write_result

BENCHMARKS = ("import", "deals", "pages", "rule", "plans", "search", "dashboard", "abc", "funnel", "sync", "nightly")


def child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m bench.<module> ...` and read the JSON object it prints last."""
    completed = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"bench.{module} failed ({completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def print_import(report: dict[str, Any]) -> None:
    validate, run, again = report["validate"], report["run"], report["reimport"]
    traced = report.get("traced", {})
    print(f"\nImport of {report['file']['lines']} sales lines (cp1251 CSV, {report['file']['bytes'] // 1024} KB)")
    print(f"{'step':<22}{'seconds':>10}{'lines/s':>10}{'RSS peak, MB':>15}{'tracemalloc peak, MB':>24}")
    lines = report["file"]["lines"]
    rows = [
        ("check (validate)", validate["seconds"], validate["rss_peak_mb"], traced.get("validate", {})),
        ("import (run)", run["seconds"], run["rss_peak_mb"], traced.get("run", {})),
    ]
    for label, seconds, rss, memory in rows:
        peak = memory.get("tracemalloc_peak_mb", "-")
        print(f"{label:<22}{seconds:>10.2f}{round(lines / seconds):>10}{rss:>15}{peak:>24}")
    print(
        f"{'re-import, same file':<22}{again['seconds']:>10.2f}{'':>10}   added {again['created']}, "
        f"already present {again['skipped']}"
    )
    print(f"(process RSS before the import: {report['rss_before_mb']} MB)")


def print_deals(report: dict[str, Any]) -> None:
    print(f"\nGET /api/v1/deals/ with {report['deals_in_db']} deals, median of {report['runs']} requests")
    print(f"{'case':<36}{'median ms':>10}{'min':>8}{'max':>8}{'queries':>9}{'count':>9}{'rows':>6}{'KB':>8}")
    for label, case in report["cases"].items():
        print(
            f"{label:<36}{case['median_ms']:>10}{case['min_ms']:>8}{case['max_ms']:>8}{case['queries']:>9}"
            f"{case['count']:>9}{case['rows']:>6}{case['kb']:>8}"
        )


def print_pages(report: dict[str, Any]) -> None:
    print(
        f"\nPages with {report['deals_in_db']} deals and {report['clients_in_db']} clients, "
        f"median of {report['runs']} renders"
    )
    print(f"{'page':<32}{'median ms':>10}{'min':>8}{'max':>8}{'queries':>9}{'KB':>8}")
    for label, case in report["cases"].items():
        print(
            f"{label:<32}{case['median_ms']:>10}{case['min_ms']:>8}{case['max_ms']:>8}{case['queries']:>9}{case['kb']:>8}"
        )


def print_rule(report: dict[str, Any]) -> None:
    print(
        f"\nNightly 3-month rule, {report['clients_in_db']} clients ({report['owned_clients']} owned), "
        f"{report['managers']} managers"
    )
    print(f"{'run':<34}{'seconds':>9}{'queries':>9}{'RSS peak, MB':>14}  counts")
    for label, key in (("first (empty queue)", "first"), ("second, same day (idempotent)", "second")):
        run = report[key]
        print(f"{label:<34}{run['seconds']:>9.2f}{run['queries']:>9}{run['rss_peak_mb']:>14}  {run['counts']}")
    print(
        f"(second run changed nothing: {report['second_changed_nothing']}; tracemalloc peak of the first run "
        f"{report['tracemalloc_peak_mb']} MB; RSS before {report['rss_before_mb']} MB)"
    )


def print_plans(report: dict[str, Any]) -> None:
    print(
        f"\nPlans for {report['managers']} managers, month {report['plan_month']}, {report['lines_in_window']} of "
        f"{report['sales_lines_in_db']} sales lines in the window, {report['regular_lines']} regular-client lines"
    )
    print(f"{'run':<40}{'seconds':>9}{'queries':>9}{'RSS peak, MB':>14}")
    for label, key in (
        ("plan_generate x managers", "generate"),
        ("again, same inputs (idempotent)", "again"),
        ("one plain SQL query, same plans", "sql"),
        ("nightly drafts, all sellers at once", "nightly"),
    ):
        run = report[key]
        print(f"{label:<40}{run['seconds']:>9.2f}{run['queries']:>9}{run['rss_peak_mb']:>14}")
    print(
        f"(same numbers: {report['same_numbers']}; new versions on the second run: {report['again']['new_versions']}; "
        f"tracemalloc peak of the generation {report['tracemalloc_peak_mb']} MB)"
    )


def print_search(report: dict[str, Any]) -> None:
    print(
        f"\nThe top bar's search (/search/dropdown/) with {report['clients_in_db']} clients, "
        f"{report['runs_per_query']} runs each"
    )
    print(f"{'user / query':<44}{'p50 ms':>9}{'p95 ms':>9}{'max':>8}{'queries':>9}{'rows':>6}")
    for username, figures in report["users"].items():
        for label, case in figures["cases"].items():
            print(
                f"{username + ': ' + label:<44}{case['p50_ms']:>9}{case['p95_ms']:>9}{case['max_ms']:>8}"
                f"{case['queries']:>9}{case['found_rows']:>6}"
            )
        print(f"{username + ': all queries':<44}{figures['p50_ms']:>9}{figures['p95_ms']:>9}")


def print_dashboard(report: dict[str, Any]) -> None:
    print(f"\nThe dashboard and the morning sheet with {report['deals_in_db']} deals, {report['runs']} runs each")
    print(f"{'user: page':<30}{'median ms':>10}{'p95 ms':>9}{'max':>8}{'queries':>9}{'KB':>6}")
    for label, case in report["cases"].items():
        print(
            f"{label:<30}{case['median_ms']:>10}{case['p95_ms']:>9}{case['max_ms']:>8}{case['queries']:>9}{case['kb']:>6}"
        )


def print_abc(report: dict[str, Any]) -> None:
    print(
        f"\nNightly ABC/XYZ, {report['clients_in_db']} clients, {report['sale_lines_in_db']} sales lines, "
        f"month of {report['as_of']}"
    )
    print(f"{'run':<26}{'seconds':>9}{'aggregate':>11}{'classify':>10}{'write':>8}{'queries':>9}{'clients':>9}")
    for label, run in zip(("first (empty month)", "again (replaces)", "again"), report["runs"], strict=False):
        parts = run["parts"]
        print(
            f"{label:<26}{run['seconds']:>9.2f}{parts['aggregation']:>11.2f}{parts['classification']:>10.2f}"
            f"{parts['writing']:>8.2f}{run['queries']:>9}{run['clients']:>9}"
        )
    print(f"(cells: {report['cells']})")


def print_funnel(report: dict[str, Any]) -> None:
    print(f"\nThe funnel with {report['deals_in_db']} deals, {report['runs']} runs each")
    print(f"{'user / case':<44}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for username, cases in report["users"].items():
        for label, case in cases.items():
            print(f"{username + ': ' + label:<44}{case['p50_ms']:>9}{case['p95_ms']:>9}{case['queries']:>9}")


def print_sync(report: dict[str, Any]) -> None:
    print(f"\nA phone's sync of a manager with {report['clients']} clients (keyset pages of 500)")
    print(f"{'sync':<28}{'requests':>9}{'rows':>7}{'seconds':>9}{'KB plain':>10}{'KB on the wire':>16}")
    for label, key in (("full", "full"), ("full, gzip", "full_gzip"), ("incremental, gzip", "incremental_gzip")):
        case = report[key]
        print(
            f"{label:<28}{case['requests']:>9}{case['rows']:>7}{case['seconds']:>9}"
            f"{case['bytes_plain'] // 1024:>10}{case['bytes_wire'] // 1024:>16}"
        )


def print_nightly(report: dict[str, Any]) -> None:
    print(f"\nThe whole nightly for {report['as_of']} (a 1st of the month) from a reset state, then again")
    print(f"{'job':<30}{'seconds':>9}{'queries':>9}{'again s':>9}{'again q':>9}  counts of the second run")
    first, second = report["first"], report["second"]
    for name, job in first["jobs"].items():
        again = second["jobs"][name]
        print(
            f"{name:<30}{job['seconds']:>9.2f}{job['queries']:>9}{again['seconds']:>9.2f}{again['queries']:>9}"
            f"  {again['counts']}"
        )
    print(f"{'total':<30}{first['seconds']:>9.2f}{first['queries']:>9}{second['seconds']:>9.2f}{second['queries']:>9}")
    print(f"(second run changed nothing: {report['second_changed_nothing']}; RSS peak {second['rss_peak_mb']} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks against DATABASE_URL.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="Run only this benchmark (repeatable).")
    parser.add_argument("--regenerate", action="store_true", help="Wipe and generate the data set even if present.")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    django_setup()
    print(f"scale '{scale.name}' on {database_label()}")
    dataset = ensure_dataset(scale, regenerate=args.regenerate)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if dataset.get("generated"):
        path = write_result("generate", scale, {"at": stamp, "database": database_label(), **dataset})
        print(f"generation: {dataset['seconds']} s -> {path}")
    for name in args.only or BENCHMARKS:
        if name == "import":
            report = child("bench_import", "--scale", scale.name)
            report["traced"] = child("bench_import", "--scale", scale.name, "--trace")
            print_import(report)
        elif name == "deals":
            report = child("bench_deals_api", "--scale", scale.name)
            print_deals(report)
        elif name == "plans":
            report = child("bench_plans", "--scale", scale.name)
            print_plans(report)
        elif name == "rule":
            report = child("bench_rule", "--scale", scale.name)
            print_rule(report)
        elif name == "abc":
            report = child("bench_abc", "--scale", scale.name)
            print_abc(report)
        elif name == "funnel":
            report = child("bench_funnel", "--scale", scale.name)
            print_funnel(report)
        elif name == "nightly":
            report = child("bench_nightly", "--scale", scale.name)
            print_nightly(report)
        elif name == "sync":
            report = child("bench_sync")
            print_sync(report)
        elif name == "search":
            report = child("bench_search", "--scale", scale.name)
            print_search(report)
        elif name == "dashboard":
            report = child("bench_dashboard", "--scale", scale.name)
            print_dashboard(report)
        else:
            report = child("bench_pages", "--scale", scale.name)
            print_pages(report)
        path = write_result(name, scale, {"at": stamp, **report})
        print(f"-> {path}")


if __name__ == "__main__":
    main()
