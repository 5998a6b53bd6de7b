"""Webhooks: the head's URLs that hear about changes (1C, telephony, BI), and the log of every delivery."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .users import User


class WebhookEvent(models.TextChoices):
    CLIENT_CREATED = "client.created", _("Client created")
    CLIENT_CHANGED = "client.changed", _("Client changed")
    CLIENT_DELETED = "client.deleted", _("Client deleted")
    CLIENT_REASSIGNED = "client.reassigned", _("Client reassigned")
    DEAL_CREATED = "deal.created", _("Deal created")
    DEAL_CHANGED = "deal.changed", _("Deal changed")
    DEAL_DELETED = "deal.deleted", _("Deal deleted")
    DEAL_STAGE_CHANGED = "deal.stage_changed", _("Deal stage changed")
    ACTIVITY_CREATED = "activity.created", _("Activity created")
    ACTIVITY_CHANGED = "activity.changed", _("Activity changed")
    ACTIVITY_DELETED = "activity.deleted", _("Activity deleted")
    PAYMENT_RECEIVED = "payment.received", _("Payment received")
    PING = "ping", _("Test (ping)")


# What a webhook may subscribe to: every event but the test, which goes to one webhook when the head asks.
SUBSCRIBABLE_EVENTS = [event for event in WebhookEvent if event != WebhookEvent.PING]


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def visible_to(self, user: User) -> WebhookQuerySet:
        """Only the head and the administrator see webhooks: their secrets sign what leaves the CRM."""
        return self if user.is_authenticated and user.sees_everything else self.none()


class Webhook(models.Model):
    """A URL the CRM POSTs the chosen events to, signed with the webhook's secret."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, blank=True)
    secret = models.CharField(_("secret"), max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def listens_to(self, event: str) -> bool:
        return event == WebhookEvent.PING or event in (self.events or [])

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events or []]


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def visible_to(self, user: User) -> WebhookDeliveryQuerySet:
        return self if user.is_authenticated and user.sees_everything else self.none()


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook; `attempt_log` keeps every attempt's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), null=True, blank=True)
    attempt_log: Any = models.JSONField(_("attempts log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "created_at"], name="webhookdelivery_hook_at"),
            models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.webhook_id} ({self.status})"
