"""The head's department settings: the numbers of DOMAIN.md and every seller's daily cold-call norm, in one form."""

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

from core.access import RoleRequiredMixin
from core.concurrency import StaleVersion, editing_version
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.hunting import DepartmentSettingsForm
from crm.forms.people import add_service_errors
from crm.models import ChangeLog, ColdCallNorm, DepartmentSettings, User
from crm.services.hunting import department_settings_update


class DepartmentSettingsView(RoleRequiredMixin, View):
    template_name = "crm/settings/department_settings.html"
    role_check = "is_head"
    role_denied = gettext_lazy("The department settings are for the sales head and the administrator.")

    def make_form(self, data: Any = None) -> DepartmentSettingsForm:
        sellers = list(User.objects.sellers().select_related("team").order_by("last_name", "first_name", "username"))
        norms = dict(ColdCallNorm.objects.values_list("manager_id", "daily_calls"))
        return DepartmentSettingsForm(data, instance=DepartmentSettings.current(), sellers=sellers, norms=norms)

    def render(self, form: DepartmentSettingsForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "history": settings_history()}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    department_settings_update(by=self.user, data=form.settings_data(), norms=form.norms_data())
            except StaleVersion as exc:
                mark_stale(form, exc.current)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The department settings are saved."))
                return redirect(reverse("department_settings"))
        return self.render(form, status=400)


def settings_history(limit: int = 30) -> list[dict[str, Any]]:
    """The last changes of the head's numbers, a row per setting changed: when, who, which, old and new."""
    labels = {f.name: f.verbose_name for f in DepartmentSettings._meta.concrete_fields}
    logs = (
        ChangeLog.objects.filter(content_type__app_label="crm", content_type__model="departmentsettings")
        .select_related("by")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        {"at": log.at, "by": log.by, "label": labels.get(name, name), "old": old, "new": new}
        for log in logs
        for name, (old, new) in log.changes.items()
    ]
