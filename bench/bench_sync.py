"""Benchmark: a phone's full sync and an incremental one (docs/api.md, "Sync"), for a manager with 250 clients.

`python -m bench.bench_sync [--clients 250]` builds its own department inside a transaction it rolls back, so it
runs on any migrated database (PostgreSQL for figures that mean something): one manager with 250 clients, each with
a contact, a deal and two activities (500), plus products. It then syncs like the app: every syncable list in
keyset pages of 500 (`?sync=true`, following `next`), then the changes feed, and prints one JSON object: requests,
seconds, rows and bytes, plain and with `Accept-Encoding: gzip` (what the wire carries), and an incremental sync
after the head edits 5 deals and reassigns 2 clients away.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bench.harness import database_label, django_setup

RESOURCES = ("clients", "contacts", "deals", "activities", "products", "plans", "prospect-entries")


def build(clients: int) -> Any:
    from django.utils import timezone

    from crm.models import Activity, Client, ContactPerson, Deal, Product, Role, Team, User

    team = Team.objects.create(name="Синхронизация")
    manager = User.objects.create_user("sync_manager", password="x", role=Role.MANAGER, team=team)  # noqa: S106
    head = User.objects.filter(role=Role.HEAD).first() or User.objects.create_user(
        "sync_head",
        password="x",  # noqa: S106
        role=Role.HEAD,
    )
    other = User.objects.create_user("sync_other", password="x", role=Role.MANAGER, team=team)  # noqa: S106
    rows = Client.objects.bulk_create(
        Client(
            name=f"ООО «Синхро {n}»",
            normalized_name=f"синхро {n}",
            inn=f"77{n:08d}",
            owner=manager,
            owned_since=timezone.localdate(),
            status=Client.Status.ACTIVE,
            region="Москва",
            address="г. Москва, ул. Тверская, д. 1",
        )
        for n in range(clients)
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(client=c, full_name="Иванов Иван Иванович", position="Директор", phone="+74951234567")
        for c in rows
    )
    Deal.objects.bulk_create(
        Deal(client=c, owner=manager, title=f"Поставка {c.pk}", amount=Decimal("125000.00")) for c in rows
    )
    now = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                kind=Activity.Kind.CALL, client=c, owner=manager, subject="Звонок", done_at=now - timedelta(days=3)
            )
            for c in rows
        ]
        + [
            Activity(
                kind=Activity.Kind.TASK, client=c, owner=manager, subject="Перезвонить", due_at=now + timedelta(days=2)
            )
            for c in rows
        ]
    )
    if not Product.objects.exists():
        Product.objects.bulk_create(Product(sku=f"SYNC-{n}", name=f"Товар {n}") for n in range(200))
    # Entered yesterday: the incremental sync after today's full one brings only today's changes.
    yesterday = now - timedelta(days=1)
    for model in (Client, ContactPerson, Deal, Activity, Product):
        model.objects.filter(updated_at__gte=now - timedelta(hours=1)).update(updated_at=yesterday)
    return manager, head, other, rows


def sync(client: Any, params: dict[str, str], *, gzip_wire: bool) -> dict[str, Any]:
    """Every resource through its keyset pages, then the changes feed: requests, rows, bytes, seconds, token."""
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"} if gzip_wire else {}
    requests = rows = wire = plain = 0
    token = None
    started = time.perf_counter()
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource}/", {**params, "page_size": "500"}, **headers)
        while True:
            requests += 1
            if response.status_code != 200:
                raise SystemExit(f"{resource}: {response.status_code} {response.content[:300]!r}")
            wire += len(response.content)
            body_bytes = (
                gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
            )
            plain += len(body_bytes)
            body = json.loads(body_bytes)
            rows += len(body["results"])
            token = token or body["sync_token"]
            if not body["next"]:
                break
            response = client.get(body["next"], **headers)
    if "since" in params:
        response = client.get("/api/v1/sync/changes/", {"since": params["since"]}, **headers)
        requests += 1
        wire += len(response.content)
        feed = json.loads(
            gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
        )
        rows += len(feed["deleted"])
    seconds = time.perf_counter() - started
    return {
        "requests": requests,
        "rows": rows,
        "seconds": round(seconds, 2),
        "bytes_plain": plain,
        "bytes_wire": wire,
        "token": token,
    }


def run(clients: int) -> dict[str, Any]:
    from django.db import transaction
    from django.test import override_settings
    from rest_framework.test import APIClient

    from crm.models import Deal
    from crm.services.clients import client_reassign

    report: dict[str, Any] = {"database": database_label(), "clients": clients}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]), transaction.atomic():
        manager, head, other, rows = build(clients)
        api = APIClient()
        api.force_authenticate(manager)
        sync(api, {"sync": "true"}, gzip_wire=False)  # warm-up
        full = sync(api, {"sync": "true"}, gzip_wire=False)
        full_gzip = sync(api, {"sync": "true"}, gzip_wire=True)
        for deal in Deal.objects.filter(client__in=rows[:5]):
            deal.title += " (изм.)"
            deal.save()
        for client in rows[-2:]:
            client_reassign(client=client, to_owner=other, by=head, reason="Перераспределение")
        incremental = sync(api, {"since": full["token"]}, gzip_wire=True)
        report.update(
            {
                "full": {k: v for k, v in full.items() if k != "token"},
                "full_gzip": {k: v for k, v in full_gzip.items() if k != "token"},
                "incremental_gzip": {k: v for k, v in incremental.items() if k != "token"},
                "gzip_ratio": round(full_gzip["bytes_plain"] / max(full_gzip["bytes_wire"], 1), 1),
            }
        )
        transaction.set_rollback(True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(args.clients), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
