"""The head's analytics settings page (like crm's department settings): a form over AnalyticsSettings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.forms.abc import AnalyticsSettingsForm
from analytics.models import AnalyticsSettings
from analytics.services.settings import analytics_settings_update
from core.access import RoleRequiredMixin
from core.concurrency import StaleVersion, editing_version
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.people import add_service_errors
from crm.models import ChangeLog


class AnalyticsSettingsView(RoleRequiredMixin, View):
    template_name = "analytics/settings.html"
    role_check = "is_head"
    role_denied = gettext_lazy("The analytics settings are for the sales head and the administrator.")

    def render(self, form: AnalyticsSettingsForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "history": settings_history()}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(AnalyticsSettingsForm(instance=AnalyticsSettings.current()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AnalyticsSettingsForm(request.POST, instance=AnalyticsSettings.current())
        if form.is_valid():
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    analytics_settings_update(by=self.user, data=form.settings_data())
            except StaleVersion as exc:
                mark_stale(form, exc.current)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The analytics settings are saved."))
                return redirect(reverse("analytics_settings"))
        return self.render(form, status=400)


def settings_history(limit: int = 30) -> list[dict[str, Any]]:
    """The last changes of the analytics numbers, a row per setting changed."""
    labels = {f.name: f.verbose_name for f in AnalyticsSettings._meta.concrete_fields}
    logs = (
        ChangeLog.objects.filter(content_type__app_label="analytics", content_type__model="analyticssettings")
        .select_related("by")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        {"at": log.at, "by": log.by, "label": labels.get(name, name), "old": old, "new": new}
        for log in logs
        for name, (old, new) in log.changes.items()
    ]
