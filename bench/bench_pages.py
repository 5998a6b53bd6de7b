"""Benchmark: the server-rendered pages at the bench scale (100 000 deals, 10 000 clients at `full`).

`python -m bench.bench_pages --scale full` prints one JSON object: for the board, the head's pipeline review,
My day, the head's and a team lead's home, the clients and tasks lists and the clients near the 3-month rule, the
median of N renders after a warm-up (full Django request through the test client, session login), the SQL query
count and the page size.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench.harness import SCALES, Scale, database_label, django_setup, time_get


def cases() -> list[tuple[str, str, str]]:
    """(label, username, path) for each page measured."""
    from django.db.models import Count

    from crm.models import Role, User

    busiest = (
        User.objects.filter(role=Role.MANAGER)
        .annotate(deal_count=Count("deals"))
        .order_by("-deal_count", "username")
        .values_list("username", flat=True)
        .first()
    ) or "manager01"
    return [
        ("board, head (all deals)", "head", "/pipeline/"),
        ("board, manager", busiest, "/pipeline/"),
        ("pipeline review, head", "head", "/pipeline/review/"),
        ("pipeline review, team lead", "lead1", "/pipeline/review/"),
        ("my day, manager", busiest, "/"),
        ("home, head", "head", "/"),
        ("home, team lead", "lead1", "/"),
        ("clients list, head", "head", "/clients/"),
        ("clients list, manager", busiest, "/clients/"),
        ("tasks list, head", "head", "/tasks/"),
        ("tasks list, manager", busiest, "/tasks/"),
        ("clients near the rule, head", "head", "/reassignments/near/"),
    ]


def measure(username: str, path: str, runs: int) -> dict[str, Any]:
    from django.test import Client

    from crm.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    figures, _response = time_get(client, path, {}, runs)
    return figures


def run(scale: Scale, *, runs: int | None = None) -> dict[str, Any]:
    from django.test import override_settings

    from crm.models import Client, Deal

    report: dict[str, Any] = {
        "database": database_label(),
        "scale": scale.name,
        "deals_in_db": Deal.objects.count(),
        "clients_in_db": Client.objects.count(),
        "runs": runs or scale.runs,
        "cases": {},
    }
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]):
        for label, username, path in cases():
            report["cases"][label] = {"user": username, "path": path, **measure(username, path, runs or scale.runs)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--runs", type=int, default=None, help="Renders per page (default: the scale's).")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale], runs=args.runs), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
