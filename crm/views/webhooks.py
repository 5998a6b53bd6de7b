"""The head's webhooks: the list, the form, one webhook with its secret and delivery log, the test button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.people import add_service_errors
from crm.forms.webhooks import WebhookForm
from crm.models import Webhook, WebhookDelivery
from crm.services.webhooks import (
    MAX_ATTEMPTS,
    webhook_create,
    webhook_delete,
    webhook_secret_rotate,
    webhook_test,
    webhook_update,
)

LOG_ROWS = 50


class WebhookAccess(RoleRequiredMixin):
    role_check = "sees_everything"
    role_denied = gettext_lazy("Webhooks are for the sales head and the administrator.")

    def webhook(self, pk: int) -> Webhook:
        return get_object_or_404(Webhook.objects.visible_to(self.user), pk=pk)

    def site_url(self) -> str:
        return self.request.build_absolute_uri("/")


class WebhookListView(WebhookAccess, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        hooks = list(Webhook.objects.visible_to(self.user).select_related("created_by").order_by("id"))
        last: dict[int, WebhookDelivery] = {}
        for delivery in WebhookDelivery.objects.filter(webhook__in=hooks).order_by("webhook_id", "-created_at", "-id"):
            last.setdefault(delivery.webhook_id, delivery)
        rows = [{"webhook": hook, "last": last.get(hook.pk)} for hook in hooks]
        return TemplateResponse(request, "crm/webhooks/webhook_list.html", {"rows": rows})


class WebhookCreateView(WebhookAccess, View):
    template_name = "crm/webhooks/webhook_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"form": WebhookForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook = webhook_create(by=self.user, site_url=self.site_url(), **form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The webhook is saved. Give its secret to the receiving system."))
                return redirect("webhook_detail", pk=webhook.pk)
        return TemplateResponse(request, self.template_name, {"form": form}, status=400)


class WebhookUpdateView(WebhookAccess, View):
    template_name = "crm/webhooks/webhook_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        context = {"form": WebhookForm.for_webhook(webhook), "object": webhook}
        return TemplateResponse(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        form = WebhookForm.for_webhook(webhook, request.POST)
        if form.is_valid():
            try:
                webhook_update(webhook=webhook, by=self.user, data=form.service_data(), site_url=self.site_url())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The webhook is saved."))
                return redirect("webhook_detail", pk=webhook.pk)
        context = {"form": form, "object": webhook}
        return TemplateResponse(request, self.template_name, context, status=400)


class WebhookDetailView(WebhookAccess, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        context: dict[str, Any] = {
            "webhook": webhook,
            "deliveries": list(webhook.deliveries.order_by("-created_at", "-id")[:LOG_ROWS]),
            "max_attempts": MAX_ATTEMPTS,
        }
        template = "crm/webhooks/_deliveries.html" if request.headers.get("HX-Request") else None
        return TemplateResponse(request, template or "crm/webhooks/webhook_detail.html", context)


class WebhookTestView(WebhookAccess, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        webhook_test(webhook=webhook, by=self.user, now=timezone.now())
        messages.success(request, _("A test event (ping) is queued: its answer appears in the log below."))
        return redirect("webhook_detail", pk=webhook.pk)


class WebhookSecretView(WebhookAccess, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        webhook_secret_rotate(webhook=webhook, by=self.user)
        messages.success(request, _("A new secret is made: give it to the receiving system."))
        return redirect("webhook_detail", pk=webhook.pk)


class WebhookDeleteView(WebhookAccess, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return TemplateResponse(request, "crm/webhooks/webhook_delete.html", {"webhook": self.webhook(pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = self.webhook(pk)
        webhook_delete(webhook=webhook, by=self.user)
        messages.success(request, _("The webhook is deleted."))
        return redirect("webhook_list")
