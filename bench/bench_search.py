"""Benchmark: the top bar's search at the bench scale (100 000 clients at `huge`).

`python -m bench.bench_search --scale huge` prints one JSON object: for a set of queries a user really types (a
word of a company name, a name's start, two letters, INN digits, a phone typed as `8 (495) 581-02-83`, a contact's
surname, a deal number), as the head (who sees every client) and as a manager (his own), the p50 and p95 of the
dropdown request through the full Django stack (session login, the test client), its SQL query count, and p50/p95
over all the queries together. The queries are taken from the data, so every one finds something.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.harness import SCALES, Scale, database_label, django_setup, write_result


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile, in ms."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return round(ordered[rank] * 1000, 1)


def queries_for(username: str) -> list[tuple[str, str]]:
    """(label, typed text) for the user: taken from what that user may see, so each finds a row."""
    from crm.models import Client, ContactPerson, Deal, User

    user = User.objects.get(username=username)
    clients = Client.objects.visible_to(user).exclude(phone="").exclude(inn="").order_by("id")
    client = clients[len(clients) // 3] if clients.exists() else None
    contact = ContactPerson.objects.visible_to(user).order_by("id").first()
    deal = Deal.objects.visible_to(user).order_by("-id").first()
    cases: list[tuple[str, str]] = []
    if client is not None:
        words = [word for word in client.normalized_name.split() if len(word) > 3]
        word = words[0] if words else client.normalized_name[:6]
        digits = client.phone.removeprefix("+7")
        national = f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:10]}"
        cases += [
            ("a word of a company name", word),
            ("the start of a name", word[:4]),
            ("two letters", word[:2]),
            ("INN digits", client.inn[2:9]),
            ("phone as 8 (495) 581-02-83", national),
        ]
    if contact is not None:
        cases.append(("a contact's surname", contact.full_name.split()[0]))
    if deal is not None:
        cases.append(("a deal number", f"#{deal.pk}"))
    cases.append(("nothing matches", "Шмыгляндия"))
    return cases


def measure(username: str, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from crm.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    every: list[float] = []
    cases: dict[str, Any] = {}
    for label, text in queries_for(username):
        response = client.get("/search/dropdown/", {"q": text})
        if response.status_code != 200:
            raise SystemExit(f"{text!r}: {response.status_code}")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get("/search/dropdown/", {"q": text})
            samples.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/dropdown/", {"q": text})
        every += samples
        cases[label] = {
            "q": text,
            "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95),
            "max_ms": round(max(samples) * 1000, 1),
            "queries": len(queries.captured_queries),
            "found_rows": response.content.count(b'class="dropdown-item'),
        }
    return {
        "cases": cases,
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "mean_ms": round(statistics.mean(every) * 1000, 1),
        "requests": len(every),
    }


def run(scale: Scale, *, runs: int) -> dict[str, Any]:
    from django.db.models import Count

    from crm.models import Client, Role, User

    busiest = (
        User.objects.filter(role=Role.MANAGER)
        .annotate(client_count=Count("clients"))
        .order_by("-client_count", "username")
        .values_list("username", flat=True)
        .first()
    ) or "manager01"
    return {
        "database": database_label(),
        "scale": scale.name,
        "clients_in_db": Client.objects.count(),
        "runs_per_query": runs,
        "users": {"head": measure("head", runs), busiest: measure(busiest, runs)},
    }


def measured(scale: Scale, *, runs: int) -> dict[str, Any]:
    from django.test import override_settings

    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]):
        return run(scale, runs=runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="huge")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    django_setup()
    scale = SCALES[args.scale]
    report = measured(scale, runs=args.runs)
    write_result("search", scale, report)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
