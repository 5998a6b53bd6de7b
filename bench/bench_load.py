"""Load run: gunicorn with the production settings on PostgreSQL, N connections of mixed API reads and writes.

`python -m bench.bench_load --scale small [--seconds 60] [--connections 10] [--workers 4]` starts gunicorn on
loopback (a free port), logs in a head and the managers through `/api/v1/auth/token/`, then for `--seconds` each
connection loops over a mix of requests, every one timed:

- 40 % `GET /api/v1/clients/` (a page of 50), 20 % `GET /api/v1/deals/`, 15 % `GET /api/v1/deals/{id}/`,
- 15 % `PATCH /api/v1/deals/{id}/` of the connection's own deal with the `If-Match` of its last read (a 412, when
  someone else changed it first, is counted apart and is not an error), 10 % `POST /api/v1/activities/` (a call).

Prints one JSON object: requests, throughput, p50/p95/p99 in ms overall and per kind, statuses, and errors (5xx or
broken connections). Bounded: loopback only, at most `--seconds` (capped at 300) and `--connections` (capped at 64).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.harness import SCALES, database_label, django_setup, ensure_dataset

BASE_DIR = Path(__file__).resolve().parents[1]
PASSWORD = "load-run-password-9"  # noqa: S105 - set on the bench database's users for this run only
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare() -> dict[str, Any]:
    """Known passwords on the head and the managers; each connection gets a manager, one of his deals, a client."""
    from django.contrib.auth.hashers import make_password

    from crm.models import Deal, Role, User

    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username")[:16])
    User.objects.filter(
        pk__in=[u.pk for u in managers] + list(User.objects.filter(username="head").values_list("pk", flat=True))
    ).update(password=make_password(PASSWORD))
    seats = []
    for manager in managers:
        deals = list(Deal.objects.open().filter(owner=manager).values_list("pk", "client_id")[:4])
        if deals:
            seats.append({"username": manager.username, "deals": deals})
    return {"seats": seats}


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "salesdept.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "load-run-Zq7vN2xK9mB4pT6wR1yH8cL3sF5gJ0dUeA-not-real"
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # The load run measures the app, not the throttle: rates far above what 10 connections send.
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
    }
    command = [
        sys.executable, "-m", "gunicorn", "salesdept.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", "2", "--log-level", "warning", "--timeout", "60",
        "--keep-alive", "75",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}") from None
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start in 30 s")


class Seat:
    """One connection: a keep-alive HTTP connection, a manager's token, his deals."""

    def __init__(self, port: int, username: str, deals: list[tuple[int, int]]) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.deals = deals
        self.etags: dict[int, str] = {}
        status, body, _headers = self.call("POST", "/api/v1/auth/token/", {"username": username, "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"login of {username} answered {status}: {body[:200]!r}")
        self.token = json.loads(body)["access"]

    def call(
        self, method: str, path: str, payload: Any = None, extra: dict[str, str] | None = None
    ) -> tuple[int, bytes, Any]:
        headers = dict(HEADERS)
        if getattr(self, "token", None):
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        body = json.dumps(payload) if payload is not None else None
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read(), response.headers


def pick(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.40:
        return "clients list"
    if roll < 0.60:
        return "deals list"
    if roll < 0.75:
        return "deal detail"
    if roll < 0.90:
        return "deal patch"
    return "activity post"


def one(seat: Seat, kind: str, rng: random.Random, n: int) -> int:
    deal_id, client_id = seat.deals[n % len(seat.deals)]
    if kind == "clients list":
        return seat.call("GET", "/api/v1/clients/?page_size=50")[0]
    if kind == "deals list":
        return seat.call("GET", "/api/v1/deals/?page_size=50")[0]
    if kind == "deal detail":
        status, _body, headers = seat.call("GET", f"/api/v1/deals/{deal_id}/")
        if headers.get("ETag"):
            seat.etags[deal_id] = headers["ETag"]
        return status
    if kind == "deal patch":
        extra = {"If-Match": seat.etags[deal_id]} if deal_id in seat.etags else {}
        status, _body, headers = seat.call("PATCH", f"/api/v1/deals/{deal_id}/", {"title": f"Нагрузка {n}"}, extra)
        if headers.get("ETag"):
            seat.etags[deal_id] = headers["ETag"]
        return status
    payload = {
        "client": client_id,
        "kind": "call",
        "direction": "out",
        "subject": f"Звонок {n}",
        "done_at": "2026-11-30T10:00:00Z",
    }
    return seat.call("POST", "/api/v1/activities/", payload)[0]


def load(port: int, seats: list[Seat], seconds: float) -> dict[str, Any]:
    samples: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def work(index: int, seat: Seat) -> None:
        rng = random.Random(index)
        n = 0
        while time.monotonic() < stop_at:
            kind = pick(rng)
            started = time.perf_counter()
            try:
                status = one(seat, kind, rng, n)
            except (OSError, http.client.HTTPException):
                # A keep-alive connection the server closed while idle: reconnect once, as any HTTP client does.
                seat.conn.close()
                with lock:
                    statuses["reconnects"] += 1
                try:
                    status = one(seat, kind, rng, n)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                    seat.conn.close()
                    continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                samples[kind].append(elapsed)
                statuses[f"{kind} {status}"] += 1
                if status >= 500:
                    errors.append(f"{kind}: HTTP {status}")
            n += 1

    threads = [threading.Thread(target=work, args=(i, seat)) for i, seat in enumerate(seats)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    wall = time.monotonic() - started
    every = sorted(x for values in samples.values() for x in values)

    def quantiles(values: list[float]) -> dict[str, float]:
        values = sorted(values)
        if not values:
            return {}
        at = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
        return {
            "p50": round(at(0.50), 1),
            "p95": round(at(0.95), 1),
            "p99": round(at(0.99), 1),
            "mean": round(statistics.fmean(values), 1),
        }

    return {
        "seconds": round(wall, 1),
        "requests": len(every),
        "throughput_per_s": round(len(every) / wall, 1),
        "latency_ms": quantiles(every),
        "by_kind": {kind: {"requests": len(values), **quantiles(values)} for kind, values in sorted(samples.items())},
        "statuses": dict(sorted(statuses.items())),
        "errors": len(errors),
        "error_samples": errors[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    seconds, connections = min(args.seconds, 300.0), max(1, min(args.connections, 64))
    django_setup()
    ensure_dataset(SCALES[args.scale], log=lambda message: print(message, file=sys.stderr))
    plan = prepare()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        seats = [Seat(port, seat["username"], seat["deals"]) for seat in (plan["seats"] * connections)[:connections]]
        report = load(port, seats, seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report = {
        "scale": args.scale,
        "database": database_label(),
        "connections": connections,
        "workers": args.workers,
        **report,
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
