"""Webhooks: the head's subscriptions, the events the change log announces, and their signed, retried deliveries.

Events are taken where every write is recorded: `changelog_record` (crm/services/history.py) calls
`webhooks_announce_change` for clients, deals and activities; a payment, which the change log does not record, is
announced by `deal_register_payment`. After the transaction commits, one `WebhookDelivery` per listening webhook is
written and `crm.tasks.deliver_webhook_task` sends it; beat's `webhook-retries` sends the ones due again.
The contract (payload, headers, signature, retries, the own-host rule) is docs/webhooks.md.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update
from crm.models import Activity, ChangeLog, Client, Deal, DealPayment, User, Webhook, WebhookDelivery, WebhookEvent
from crm.models.webhooks import SUBSCRIBABLE_EVENTS

logger = logging.getLogger(__name__)

DELIVER_TASK = "crm.tasks.deliver_webhook_task"
TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 6
RESPONSE_LIMIT = 2048
# A claimed delivery is not claimed again for this long: longer than one attempt can take.
CLAIM_LEASE = timedelta(minutes=1)
USER_AGENT = "salesdept-webhooks/1"
LOGGED_FIELDS = ["url", "events", "is_active", "description"]
DEFAULT_PORTS = (80, 443)


# -- The own-host rule -------------------------------------------------------------------------------------------


def _host_key(host: str) -> str:
    """A host name as compared: lower case, no brackets or final dot, every loopback address one name."""
    host = host.strip().lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.is_loopback or address.is_unspecified:
        return "loopback"
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None and (mapped.is_loopback or mapped.is_unspecified):
        return "loopback"
    return str(mapped or address)


def _endpoint(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return _host_key(parts.hostname), port or (443 if parts.scheme == "https" else 80)


def _site_endpoints(site_url: str | None) -> tuple[set[tuple[str, int]], set[str], set[int]]:
    """The site's own (host, port) pairs, its ALLOWED_HOSTS names (a leading dot: the domain and below), its ports."""
    pairs = {ep for url in (settings.SITE_URL, site_url) if url and (ep := _endpoint(url))}
    # A site on a default port listens on the other one too (http on 80 only to send visitors to https on 443).
    pairs |= {(host, other) for host, port in pairs if port in DEFAULT_PORTS for other in DEFAULT_PORTS}
    ports = {port for _host, port in pairs}
    names = {
        name if name.startswith(".") else _host_key(name)
        for name in (str(h).strip().lower() for h in settings.ALLOWED_HOSTS)
        if name and name != "*"
    }
    return pairs, names, ports


def url_refusal(url: str, *, site_url: str | None = None) -> str | None:
    """Why the CRM does not POST to `url`, or None: only http(s), and never the site itself (SITE_URL, the
    ALLOWED_HOSTS names on the site's ports, `site_url`: the address the request came to). Loopback on another
    port is allowed: a connector on the same machine (1C) listens there."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return _("Only http:// and https:// addresses can receive webhooks.")
    endpoint = _endpoint(url.strip())
    if endpoint is None:
        return _("Enter the address with a host name and, if needed, a port from 1 to 65535.")
    host, port = endpoint
    pairs, names, ports = _site_endpoints(site_url)
    own_name = host in names or any(n.startswith(".") and (host == n[1:] or host.endswith(n)) for n in names)
    if (host, port) in pairs or (own_name and port in ports):
        return _("This is the CRM's own address: webhooks are sent only to other systems.")
    return None


# -- The head's subscriptions -----------------------------------------------------------------------------------


def _check_head(by: User) -> None:
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head or the administrator manages webhooks."))


def _clean_events(events: Any) -> list[str]:
    if not isinstance(events, (list, tuple)) or not events:
        raise ValidationError({"events": [_("Choose at least one event.")]})
    unknown = [str(e) for e in events if e not in SUBSCRIBABLE_EVENTS]
    if unknown:
        raise ValidationError({"events": [_("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}]})
    return [event.value for event in SUBSCRIBABLE_EVENTS if event in events]


def _clean(webhook: Webhook, *, site_url: str | None) -> None:
    url = (webhook.url or "").strip()
    webhook.url = url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        refusal = url_refusal(url, site_url=site_url) if url else None
        raise ValidationError(
            {"url": [refusal or _("Enter a full address, e.g. https://1c.example.ru/hooks/crm.")]}
        ) from None
    if refusal := url_refusal(url, site_url=site_url):
        raise ValidationError({"url": [refusal]})
    webhook.events = _clean_events(webhook.events)
    webhook.description = (webhook.description or "").strip()
    webhook.full_clean()


def _record(webhook: Webhook, by: User, action: str) -> None:
    from crm.services.history import changelog_record  # history announces changes through this module

    changelog_record(obj=webhook, by=by, action=action, before=dict.fromkeys(LOGGED_FIELDS))


@transaction.atomic
def webhook_create(
    *,
    by: User,
    url: str,
    events: list[str],
    description: str = "",
    is_active: bool = True,
    site_url: str | None = None,
) -> Webhook:
    """Register a URL for the chosen events; its secret is made here and shown to the head."""
    _check_head(by)
    webhook = Webhook(
        url=url,
        events=events,
        description=description,
        is_active=is_active,
        created_by=by,
        secret=secrets.token_hex(32),
    )
    _clean(webhook, site_url=site_url)
    webhook.save()
    _record(webhook, by, ChangeLog.Action.CREATE)
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, by: User, data: dict[str, Any], site_url: str | None = None) -> Webhook:
    """Change the URL, the events, the description or switch the webhook on or off (the secret stays)."""
    _check_head(by)
    from crm.services.history import changelog_record, snapshot

    before = snapshot(webhook, LOGGED_FIELDS)
    model_update(
        instance=webhook,
        data={k: v for k, v in data.items() if k in LOGGED_FIELDS},
        clean=partial(_clean, site_url=site_url),
    )
    changelog_record(obj=webhook, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return webhook


@transaction.atomic
def webhook_secret_rotate(*, webhook: Webhook, by: User) -> Webhook:
    """A new secret: the receiver must be given it, deliveries from now on are signed with it."""
    _check_head(by)
    webhook.secret = secrets.token_hex(32)
    webhook.save(update_fields=["secret", "updated_at"])
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook, by: User) -> None:
    """Remove a webhook with its delivery log."""
    _check_head(by)
    _record(webhook, by, ChangeLog.Action.DELETE)
    webhook.delete()


@transaction.atomic
def webhook_test(*, webhook: Webhook, by: User, now: datetime) -> WebhookDelivery:
    """Queue a `ping` to this webhook (switched on or not), sent once the transaction commits."""
    _check_head(by)
    payload = {
        "event": WebhookEvent.PING.value,
        "occurred_at": now.isoformat(),
        "object_type": "webhook",
        "object_id": webhook.pk,
        "by_id": by.pk,
        "data": {"id": webhook.pk, "url": webhook.url, "events": list(webhook.events or [])},
    }
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event=WebhookEvent.PING, payload=payload, created_at=now, next_attempt_at=now
    )
    transaction.on_commit(partial(_start, [delivery.pk]))
    return delivery


# -- Events ------------------------------------------------------------------------------------------------------

_FIELDS: dict[type[models.Model], tuple[str, tuple[str, ...]]] = {
    Client: (
        "client",
        (
            "id",
            "name",
            "inn",
            "kpp",
            "phone",
            "email",
            "region",
            "status",
            "category",
            "source",
            "segment_id",
            "owner_id",
            "owned_since",
            "updated_at",
        ),
    ),
    Deal: (
        "deal",
        (
            "id",
            "title",
            "client_id",
            "owner_id",
            "stage",
            "amount",
            "probability",
            "invoice_amount",
            "paid_amount",
            "expected_close_date",
            "plan_month",
            "lost_reason_id",
            "won_at",
            "closed_at",
            "updated_at",
        ),
    ),
    Activity: (
        "activity",
        (
            "id",
            "kind",
            "subject",
            "client_id",
            "deal_id",
            "owner_id",
            "direction",
            "call_result",
            "duration_seconds",
            "due_at",
            "done_at",
            "updated_at",
        ),
    ),
    DealPayment: ("payment", ("id", "deal_id", "amount", "paid_on", "document_number", "created_at")),
}

# A change of these fields is its own event instead of `<type>.changed`.
_SPECIAL = {"client": ("owner_id", "reassigned"), "deal": ("stage", "stage_changed")}


def _data(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name, None) for name in names}


def _event_of(kind: str, action: str, changes: dict[str, Any]) -> str:
    if action == ChangeLog.Action.CREATE:
        return f"{kind}.created"
    if action == ChangeLog.Action.DELETE:
        return f"{kind}.deleted"
    special = _SPECIAL.get(kind)
    if special and special[0] in changes:
        return f"{kind}.{special[1]}"
    return f"{kind}.changed"


def _announce(event: str, payload: dict[str, Any]) -> None:
    try:
        plain = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        logger.exception("webhook payload of %s could not be serialised", event)
        plain = {key: payload.get(key) for key in ("event", "occurred_at", "object_type", "object_id")}
        plain["occurred_at"] = str(plain["occurred_at"])
    transaction.on_commit(partial(_deliveries_create, event, plain))


def webhooks_announce_change(
    *, obj: models.Model, action: str, changes: dict[str, Any], by: User | None, at: datetime | None = None
) -> None:
    """Announce a recorded change of a client, deal or activity to the webhooks listening (after the commit).
    Never raises: a change is saved whether or not an integration hears of it."""
    try:
        spec = _FIELDS.get(type(obj)._meta.concrete_model or type(obj))
        if spec is None or spec[0] == "payment":
            return
        kind, names = spec
        event = _event_of(kind, action, changes)
        payload: dict[str, Any] = {
            "event": event,
            "occurred_at": at or timezone.now(),
            "object_type": kind,
            "object_id": obj.pk,
            "by_id": by.pk if by is not None else None,
            "data": _data(obj, names),
        }
        if action == ChangeLog.Action.UPDATE:
            payload["changed_fields"] = sorted(changes)
            special = _SPECIAL.get(kind)
            if special and special[0] in changes:
                payload["previous"] = {special[0]: changes[special[0]][0]}
        _announce(event, payload)
    except Exception:  # an integration's trouble never undoes a user's change
        logger.exception("webhook event for %r not announced", obj)


def webhooks_announce_payment(*, payment: DealPayment, deal: Deal, by: User | None, at: datetime | None = None) -> None:
    """Announce `payment.received` with the payment and its deal's paid and invoiced amounts."""
    try:
        data = _data(payment, _FIELDS[DealPayment][1])
        data.update(
            client_id=deal.client_id,
            deal_stage=deal.stage,
            deal_paid_amount=deal.paid_amount,
            deal_invoice_amount=deal.invoice_amount,
        )
        _announce(
            WebhookEvent.PAYMENT_RECEIVED.value,
            {
                "event": WebhookEvent.PAYMENT_RECEIVED.value,
                "occurred_at": at or timezone.now(),
                "object_type": "payment",
                "object_id": payment.pk,
                "by_id": by.pk if by is not None else None,
                "data": data,
            },
        )
    except Exception:
        logger.exception("payment webhook for %r not announced", payment)


def _deliveries_create(event: str, payload: dict[str, Any]) -> None:
    """After the commit: a delivery per active webhook listening to `event`, each started."""
    try:
        hooks = [h for h in Webhook.objects.filter(is_active=True).only("id", "events") if h.listens_to(event)]
        if not hooks:
            return
        now = timezone.now()
        rows = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=h, event=event, payload=payload, created_at=now, next_attempt_at=now) for h in hooks
        )
        _start([row.pk for row in rows])
    except Exception:  # the change is committed already; the log shows what was not queued
        logger.exception("webhook deliveries of %s not created", event)


def _start(ids: list[int]) -> None:
    """Queue a delivery task per id; one the broker refuses stays pending for beat's retries."""
    task = current_app.tasks[DELIVER_TASK]
    for pk in ids:
        try:
            task.delay(pk)
        except Exception:
            logger.exception("webhook delivery %s not queued; beat's webhook-retries sends it", pk)


# -- Delivery ----------------------------------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the X-Salesdept-Signature header."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The body as sent: the payload with the delivery's id, the same bytes on every attempt."""
    body = {"delivery_id": delivery.pk, **(delivery.payload or {})}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8, 16 minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


@dataclass
class Answer:
    status: int | None = None
    body: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retriable(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as it is, not followed: it could lead to the CRM itself."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _excerpt(raw: bytes) -> str:
    text = raw[:RESPONSE_LIMIT].decode("utf-8", errors="replace")
    return text + ("…" if len(raw) > RESPONSE_LIMIT else "")


def _post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    # The scheme is http or https: url_refusal checked it just before.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    answer = Answer()
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            answer.status = response.status
            answer.body = _excerpt(response.read(RESPONSE_LIMIT + 1))
    except urllib.error.HTTPError as exc:
        answer.status = exc.code
        try:
            answer.body = _excerpt(exc.read(RESPONSE_LIMIT + 1))
        except Exception:
            answer.body = ""
        if 300 <= exc.code < 400:
            answer.error = _("Redirects are not followed: register the final address.")
    except Exception as exc:  # network trouble of any kind is an attempt that failed
        reason = getattr(exc, "reason", None) or exc
        answer.error = f"{type(exc).__name__}: {reason}"[:1000]
    answer.duration_ms = int((time.monotonic() - started) * 1000)
    return answer


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt; of two tasks for the same attempt only one gets it."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        WebhookDelivery.objects.filter(due, pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
            next_attempt_at=now + CLAIM_LEASE
        )
    )


def webhook_deliver(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """One attempt of a pending delivery that is due at `now`: POST, record the answer, schedule the next attempt
    (network errors, 5xx and 429, up to MAX_ATTEMPTS) or end it. None when it is not this call's to send."""
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    webhook = delivery.webhook
    body = delivery_body(delivery)
    timestamp = str(int(now.timestamp()))
    if refusal := url_refusal(webhook.url):
        answer = Answer(error=refusal)
        final = True
    elif not webhook.is_active and delivery.event != WebhookEvent.PING:
        answer = Answer(error=_("The webhook is switched off."))
        final = True
    else:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Salesdept-Event": delivery.event,
            "X-Salesdept-Delivery": str(delivery.pk),
            "X-Salesdept-Timestamp": timestamp,
            "X-Salesdept-Signature": signature(webhook.secret, timestamp, body),
        }
        answer = _post(webhook.url, body, headers)
        final = answer.delivered or not answer.retriable
    attempts = delivery.attempts + 1
    delivery.attempts = attempts
    delivery.last_attempt_at = now
    delivery.response_status = answer.status
    delivery.response_body = answer.body
    delivery.error = answer.error
    delivery.duration_ms = answer.duration_ms
    delivery.attempt_log = [
        *(delivery.attempt_log or []),
        {
            "attempt": attempts,
            "at": now.isoformat(),
            "status": answer.status,
            "body": answer.body,
            "error": answer.error,
            "duration_ms": answer.duration_ms,
        },
    ]
    if answer.delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif final or attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + retry_delay(attempts)
    delivery.save()
    return delivery


def webhook_deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due at `now`, oldest first (beat's `webhook-retries`)."""
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
