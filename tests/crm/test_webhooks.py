"""Webhooks: signed deliveries received by a local HTTP server, retries with backoff, final answers, the own-host
rule, and the events the change log announces (docs/webhooks.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from pytest_httpserver import HTTPServer

from crm.models import Webhook, WebhookDelivery, WebhookEvent
from crm.models.webhooks import SUBSCRIBABLE_EVENTS
from crm.rules.stages import Stage, next_stage
from crm.services.clients import client_create, client_delete, client_reassign, client_update
from crm.services.deals import deal_move_stage, deal_register_payment
from crm.services.webhooks import (
    MAX_ATTEMPTS,
    RESPONSE_LIMIT,
    url_refusal,
    webhook_create,
    webhook_deliver,
    webhook_deliveries_due,
    webhook_test,
)
from crm.tasks import retry_webhook_deliveries_task
from tests.crm.test_services_deals import deal_at

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def verify(secret: str, headers, body: bytes, *, now: float, tolerance: int = 300) -> bool:
    """What a receiver does (the snippet of docs/webhooks.md): the signature over "<timestamp>.<body>", and a fresh
    timestamp."""
    timestamp = headers["X-Salesdept-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Salesdept-Signature"]) and abs(now - int(timestamp)) <= tolerance


def hook(head, httpserver: HTTPServer, events=None, path="/hook") -> Webhook:
    return webhook_create(
        by=head, url=httpserver.url_for(path), events=events or [e.value for e in SUBSCRIBABLE_EVENTS]
    )


def received(httpserver: HTTPServer) -> list[tuple[str, dict]]:
    return [(request.headers["X-Salesdept-Event"], json.loads(request.get_data())) for request, _ in httpserver.log]


def test_a_delivery_is_signed_with_the_secret_and_a_fresh_timestamp(
    head, manager, httpserver, django_capture_on_commit_callbacks
):
    webhook = hook(head, httpserver, events=["client.created"])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")

    with django_capture_on_commit_callbacks(execute=True):
        client = client_create(by=manager, data={"name": "ООО «Ромашка»", "inn": "7707083893"})

    ((request, _response),) = httpserver.log
    body = request.get_data()
    assert verify(webhook.secret, request.headers, body, now=time.time())
    assert not verify("another secret", request.headers, body, now=time.time())
    assert not verify(webhook.secret, request.headers, body, now=time.time() + 3600)  # a replay an hour later
    assert request.headers["X-Salesdept-Event"] == "client.created"
    assert request.headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-Salesdept-Delivery"] == str(delivery.pk) == str(payload["delivery_id"])
    assert payload["event"] == "client.created"
    assert (payload["object_type"], payload["object_id"]) == ("client", client.pk)
    assert payload["data"]["name"] == "ООО «Ромашка»" and payload["data"]["owner_id"] == manager.pk
    assert payload["by_id"] == manager.pk
    assert datetime.fromisoformat(payload["occurred_at"]).tzinfo is not None
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.response_body) == (
        Status.DELIVERED,
        1,
        200,
        "ok",
    )


def test_a_500_is_retried_with_backoff_and_the_log_keeps_each_answer(
    head, manager, httpserver, django_capture_on_commit_callbacks
):
    webhook = hook(head, httpserver, events=["client.created"])
    httpserver.expect_ordered_request("/hook", method="POST").respond_with_data("busy", status=500)
    httpserver.expect_ordered_request("/hook", method="POST").respond_with_data("thanks", status=200)

    with django_capture_on_commit_callbacks(execute=True):
        client_create(by=manager, data={"name": "ООО «Ромашка»"})

    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (Status.PENDING, 1, 500)
    first = delivery.last_attempt_at
    assert delivery.next_attempt_at == first + timedelta(minutes=1)
    assert webhook_deliveries_due(now=first + timedelta(seconds=59)) == []
    assert webhook_deliveries_due(now=first + timedelta(minutes=1)) == [delivery.pk]
    assert webhook_deliver(delivery_id=delivery.pk, now=first + timedelta(seconds=30)) is None  # not due yet

    webhook_deliver(delivery_id=delivery.pk, now=first + timedelta(minutes=1))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.response_body) == (
        Status.DELIVERED,
        2,
        200,
        "thanks",
    )
    assert [(a["attempt"], a["status"], a["body"]) for a in delivery.attempt_log] == [
        (1, 500, "busy"),
        (2, 200, "thanks"),
    ]
    first_body, second_body = (request.get_data() for request, _ in httpserver.log)
    assert first_body == second_body  # the same event, signed anew with the attempt's timestamp
    for request, _ in httpserver.log:
        assert verify(webhook.secret, request.headers, request.get_data(), now=time.time())
    assert webhook_deliveries_due(now=first + timedelta(days=1)) == []


def test_beats_retry_task_sends_the_deliveries_that_are_due(head, httpserver):
    webhook = hook(head, httpserver)
    httpserver.expect_request("/hook", method="POST").respond_with_data("", status=204)
    past = timezone.now() - timedelta(minutes=3)
    due = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={"event": "ping"}, created_at=past, next_attempt_at=past, attempts=1
    )
    later = WebhookDelivery.objects.create(
        webhook=webhook,
        event="ping",
        payload={"event": "ping"},
        created_at=past,
        next_attempt_at=past + timedelta(hours=1),
    )

    assert retry_webhook_deliveries_task.delay().get() == 1

    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.attempts, due.response_status) == (Status.DELIVERED, 2, 204)
    assert (later.status, later.attempts) == (Status.PENDING, 0)


def test_the_backoff_doubles_and_ends_failed_after_the_last_attempt(head, httpserver):
    webhook = hook(head, httpserver)
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=503)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={"event": "ping"}, created_at=now, next_attempt_at=now
    )
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        delivery = webhook_deliver(delivery_id=delivery.pk, now=now)
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at

    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Status.FAILED, MAX_ATTEMPTS, None)
    assert len(httpserver.log) == MAX_ATTEMPTS
    assert webhook_deliver(delivery_id=delivery.pk, now=now + timedelta(days=1)) is None


def test_a_429_is_retried_but_a_404_is_final(head, httpserver):
    webhook = hook(head, httpserver)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    httpserver.expect_ordered_request("/hook").respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request("/hook").respond_with_data("no such hook " * 500, status=404)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={}, created_at=now, next_attempt_at=now
    )

    assert webhook_deliver(delivery_id=delivery.pk, now=now).status == Status.PENDING
    final = webhook_deliver(delivery_id=delivery.pk, now=now + timedelta(minutes=1))

    assert (final.status, final.attempts, final.response_status, final.next_attempt_at) == (Status.FAILED, 2, 404, None)
    assert len(final.response_body) <= RESPONSE_LIMIT + 1 and final.response_body.startswith("no such hook")
    assert webhook_deliveries_due(now=now + timedelta(days=1)) == []


def test_a_receiver_that_is_not_listening_is_a_network_error_retried(head):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    webhook = webhook_create(by=head, url=f"http://127.0.0.1:{port}/hook", events=["deal.created"])
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={}, created_at=now, next_attempt_at=now
    )

    delivery = webhook_deliver(delivery_id=delivery.pk, now=now)

    assert (delivery.status, delivery.response_status, delivery.next_attempt_at) == (
        Status.PENDING,
        None,
        now + timedelta(minutes=1),
    )
    assert "refused" in delivery.error.lower() or "error" in delivery.error.lower()


def test_a_redirect_is_not_followed(head, httpserver):
    webhook = hook(head, httpserver)
    httpserver.expect_request("/hook").respond_with_data("", status=302, headers={"Location": "http://localhost:8000/"})
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={}, created_at=now, next_attempt_at=now
    )

    delivery = webhook_deliver(delivery_id=delivery.pk, now=now)

    assert (delivery.status, delivery.response_status) == (Status.FAILED, 302)
    assert len(httpserver.log) == 1


def test_the_test_button_sends_a_ping_even_to_a_webhook_switched_off(
    head, httpserver, django_capture_on_commit_callbacks
):
    webhook = hook(head, httpserver)
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
    webhook.refresh_from_db()
    httpserver.expect_request("/hook").respond_with_json({"pong": True})

    with django_capture_on_commit_callbacks(execute=True):
        webhook_test(webhook=webhook, by=head, now=timezone.now())

    assert received(httpserver)[0][0] == "ping"
    assert received(httpserver)[0][1]["data"]["id"] == webhook.pk
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, json.loads(delivery.response_body)) == (Status.DELIVERED, {"pong": True})


# -- The own-host rule -------------------------------------------------------------------------------------------


@override_settings(SITE_URL="https://crm.example.ru", ALLOWED_HOSTS=["crm.example.ru", ".corp.example.ru", "*"])
@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://crm.example.ru/hooks", True),
        ("https://CRM.example.ru.:443/hooks", True),
        ("http://crm.example.ru/hooks", True),  # the same site's port 80
        ("https://crm.example.ru:8443/hooks", False),  # another service on the same machine
        ("https://a.corp.example.ru/x", True),  # an ALLOWED_HOSTS domain
        ("https://1c.example.ru/hooks", False),
        ("ftp://1c.example.ru/x", True),
        ("file:///etc/passwd", True),
        ("javascript:alert(1)", True),
        ("http://1c.example.ru:99999/", True),
        ("http://:80/", True),
    ],
)
def test_own_host_and_other_schemes_are_refused(url, refused):
    assert (url_refusal(url) is not None) == refused


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://localhost:8000/api/v1/clients/", True),  # SITE_URL of the tests
        ("http://127.0.0.1:8000/", True),  # loopback is one host, whatever its name
        ("http://[::1]:8000/", True),
        ("http://0.0.0.0:8000/", True),
        ("http://127.0.0.1:8765/1c", False),  # a local 1C connector on another port
        ("http://testserver/", True),  # the host the request came to
    ],
)
@override_settings(SITE_URL="http://localhost:8000", ALLOWED_HOSTS=["localhost", "127.0.0.1", "[::1]"])
def test_loopback_is_refused_only_on_the_sites_port(url, refused):
    assert (url_refusal(url, site_url="http://testserver/") is not None) == refused


def test_registration_refuses_the_own_host_under_the_url_field(head):
    with override_settings(SITE_URL="http://localhost:8000"), pytest.raises(ValidationError) as exc:
        webhook_create(by=head, url="http://127.0.0.1:8000/api/", events=["client.created"])
    assert list(exc.value.message_dict) == ["url"]
    assert not Webhook.objects.exists()


def test_a_webhook_that_became_the_own_host_is_refused_at_send_time(head, httpserver):
    webhook = hook(head, httpserver)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="ping", payload={}, created_at=now, next_attempt_at=now
    )

    with override_settings(SITE_URL=f"http://localhost:{httpserver.port}"):
        delivery = webhook_deliver(delivery_id=delivery.pk, now=now)

    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert "own address" in delivery.error or "собственный" in delivery.error.lower() or delivery.error
    assert httpserver.log == []


def test_only_the_head_or_admin_registers_and_events_are_checked(head, admin_user, manager, team_lead):
    for user in (manager, team_lead):
        with pytest.raises(PermissionDenied):
            webhook_create(by=user, url="https://1c.example.ru/h", events=["client.created"])
    for events in ([], ["client.eaten"], ["ping"], "client.created"):
        with pytest.raises(ValidationError) as exc:
            webhook_create(by=head, url="https://1c.example.ru/h", events=events)
        assert "events" in exc.value.message_dict
    webhook = webhook_create(by=admin_user, url=" https://1c.example.ru/h ", events=["deal.created", "client.created"])
    assert (webhook.url, webhook.events) == ("https://1c.example.ru/h", ["client.created", "deal.created"])
    assert (
        len(webhook.secret) == 64
        and webhook.secret != webhook_create(by=head, url="https://1c.example.ru/h", events=["deal.created"]).secret
    )


# -- Events ------------------------------------------------------------------------------------------------------


@pytest.fixture
def listening(head, httpserver):
    webhook = hook(head, httpserver)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    return webhook


def test_client_create_change_reassign_and_delete_are_announced(
    listening, head, manager, other_manager, httpserver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client = client_create(by=manager, data={"name": "ООО «Ромашка»"})
    client_id = client.pk
    with django_capture_on_commit_callbacks(execute=True):
        client_update(client=client, by=manager, data={"region": "Москва"})
    with django_capture_on_commit_callbacks(execute=True):
        client_reassign(client=client, to_owner=other_manager, by=head, reason="Отпуск")
    with django_capture_on_commit_callbacks(execute=True):
        client_delete(client=client, by=head)

    events = received(httpserver)
    assert [event for event, _ in events] == ["client.created", "client.changed", "client.reassigned", "client.deleted"]
    changed, reassigned, deleted = events[1][1], events[2][1], events[3][1]
    assert changed["changed_fields"] == ["region"] and changed["data"]["region"] == "Москва"
    assert reassigned["previous"] == {"owner_id": manager.pk}
    assert reassigned["data"]["owner_id"] == other_manager.pk and reassigned["by_id"] == head.pk
    assert (deleted["object_id"], deleted["data"]["id"], deleted["data"]["name"]) == (
        client_id,
        client_id,
        "ООО «Ромашка»",
    )
    assert WebhookDelivery.objects.filter(status=Status.DELIVERED).count() == 4


def test_a_rolled_back_change_announces_nothing(listening, manager, httpserver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        client_create(by=manager, data={"name": "ООО «Ромашка»", "inn": "123"})  # a bad INN
    assert httpserver.log == [] and not WebhookDelivery.objects.exists()


def test_a_stage_move_and_a_payment_are_announced(listening, manager, httpserver, django_capture_on_commit_callbacks):
    deal = deal_at(Stage.GOAL, manager, complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        deal_move_stage(deal=deal, to_stage=next_stage(Stage.GOAL), by=manager)
    paying = deal_at(Stage.PAYMENT, manager, complete=False)
    with django_capture_on_commit_callbacks(execute=True):
        payment = deal_register_payment(
            deal=paying, amount=Decimal("200000.50"), paid_on=date(2026, 11, 10), by=manager
        )

    (moved_event, moved), (paid_event, paid) = received(httpserver)
    assert moved_event == "deal.stage_changed"
    assert (moved["previous"], moved["data"]["stage"]) == ({"stage": Stage.GOAL}, next_stage(Stage.GOAL))
    assert paid_event == "payment.received"
    assert (paid["object_id"], paid["data"]["deal_id"], paid["data"]["amount"]) == (payment.pk, paying.pk, "200000.50")
    assert paid["data"]["deal_paid_amount"] == "200000.50" and paid["data"]["deal_invoice_amount"] == "480000.00"


def test_a_webhook_hears_only_its_events_and_none_when_switched_off(
    head, manager, httpserver, django_capture_on_commit_callbacks
):
    deals_only = hook(head, httpserver, events=["deal.created"])
    off = hook(head, httpserver, events=["client.created"])
    Webhook.objects.filter(pk=off.pk).update(is_active=False)
    httpserver.expect_request("/hook").respond_with_data("ok")

    with django_capture_on_commit_callbacks(execute=True):
        client_create(by=manager, data={"name": "ООО «Ромашка»"})

    assert httpserver.log == []
    assert not WebhookDelivery.objects.filter(webhook__in=[deals_only, off]).exists()


def test_a_payload_that_cannot_be_built_never_breaks_the_write(
    listening, manager, httpserver, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("crm.services.webhooks._data", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client = client_create(by=manager, data={"name": "ООО «Ромашка»"})
    assert client.pk and httpserver.log == []

    monkeypatch.setattr("crm.services.webhooks._data", lambda obj, names: {"when": object()})
    with django_capture_on_commit_callbacks(execute=True):
        client_update(client=client, by=manager, data={"region": "Тула"})
    ((event, payload),) = received(httpserver)
    assert (event, payload["object_id"], "data" in payload) == ("client.changed", client.pk, False)


def test_every_event_has_a_label_and_ping_is_not_subscribable():
    assert WebhookEvent.PING not in SUBSCRIBABLE_EVENTS
    assert {e.value for e in SUBSCRIBABLE_EVENTS} >= {
        "client.created",
        "client.changed",
        "client.deleted",
        "client.reassigned",
        "deal.created",
        "deal.changed",
        "deal.deleted",
        "deal.stage_changed",
        "activity.created",
        "activity.changed",
        "activity.deleted",
        "payment.received",
    }
