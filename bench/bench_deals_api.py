"""Benchmark: `GET /api/v1/deals/` over the bench department (100 000 deals at the full scale).

`python -m bench.bench_deals_api --scale full` prints one JSON object: for each case (the head's first page, the
last page by the default order and by amount, the middle page, a stage filter, the hygiene filter, a 500-row page,
the keyset first page and a keyset page at the end (`cursor`), a manager's and a team lead's first page) the median
and the spread of N requests after a warm-up, the SQL query count, the rows counted and the size of the answer.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench.harness import SCALES, Scale, database_label, django_setup, time_get

URL = "/api/v1/deals/"


def cases() -> list[tuple[str, str, dict[str, str]]]:
    """(label, username, query) for each request measured."""
    from django.db.models import Count

    from crm.models import Deal, Role, User

    head_total = Deal.objects.count()
    deep_page = max(1, head_total // 50 - 1)
    middle_page = max(1, head_total // 100)
    busiest = (
        User.objects.filter(role=Role.MANAGER)
        .annotate(deal_count=Count("deals"))
        .order_by("-deal_count", "username")
        .values_list("username", flat=True)
        .first()
    ) or "manager01"
    return [
        ("head, page 1", "head", {}),
        (f"head, page {deep_page} (deep)", "head", {"page": str(deep_page)}),
        (f"head, page {middle_page} (middle)", "head", {"page": str(middle_page)}),
        ("head, stage=proposal", "head", {"stage": "proposal"}),
        ("head, open deals without a task", "head", {"no_open_task": "true"}),
        ("head, page_size=500", "head", {"page_size": "500"}),
        ("head, last page, ordering=amount (deep)", "head", {"page": str(deep_page), "ordering": "amount"}),
        ("head, keyset first page (sync=true)", "head", {"sync": "true"}),
        ("head, keyset deep page (cursor)", "head", {"cursor": deep_cursor()}),
        ("manager, page 1", busiest, {}),
        ("team lead, page 1", "lead1", {}),
    ]


def deep_cursor() -> str:
    """The `cursor` of the keyset page just before the last 50 deals (the deepest page a sync reaches)."""
    from django.utils import timezone

    from crm.api.pagination import SyncState, next_cursor_of
    from crm.models import Deal
    from crm.sync import token_issue

    row = Deal.objects.order_by("-updated_at", "-id").values_list("updated_at", "id")[50:51].first()
    if row is None:
        row = (timezone.now(), 0)
    state = SyncState(since=None, token=token_issue(timezone.now()), after=None)
    return next_cursor_of(state, row[0], row[1])


def measure(username: str, query: dict[str, str], runs: int) -> dict[str, Any]:
    from rest_framework.test import APIClient

    from crm.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    figures, response = time_get(client, URL, query, runs)
    body = response.json()
    return {**figures, "count": body.get("count"), "rows": len(body.get("results", []))}


def run(scale: Scale, *, runs: int | None = None) -> dict[str, Any]:
    from django.test import override_settings

    from crm.models import Deal

    report: dict[str, Any] = {
        "database": database_label(),
        "scale": scale.name,
        "deals_in_db": Deal.objects.count(),
        "runs": runs or scale.runs,
        "cases": {},
    }
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]):
        for label, username, query in cases():
            report["cases"][label] = {"user": username, "query": query, **measure(username, query, runs or scale.runs)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--runs", type=int, default=None, help="Requests per case (default: the scale's).")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(SCALES[args.scale], runs=args.runs), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
