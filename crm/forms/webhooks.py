"""The head's webhook form: the URL, the events it hears, a description, on or off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Webhook
from crm.models.webhooks import SUBSCRIBABLE_EVENTS


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Where the CRM POSTs the events, e.g. https://1c.example.ru/hooks/crm."),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_webhook(cls, webhook: Webhook, data: Any = None) -> WebhookForm:
        initial = {
            "url": webhook.url,
            "events": list(webhook.events or []),
            "description": webhook.description,
            "is_active": webhook.is_active,
        }
        return cls(data, initial=initial)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("url", "events", "description", "is_active")}
