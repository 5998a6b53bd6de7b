"""The head's department settings: the numbers of DOMAIN.md and every seller's daily cold-call norm, in one form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from crm.forms.hunting import DepartmentSettingsForm
from crm.forms.people import add_service_errors
from crm.models import ColdCallNorm, DepartmentSettings, User
from crm.services.hunting import department_settings_update, may_set_norms


class DepartmentSettingsView(LoginRequiredMixin, View):
    template_name = "crm/settings/department_settings.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_set_norms(request.user):  # type: ignore[arg-type]
            raise PermissionDenied(_("The department settings are for the sales head and the administrator."))
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data: Any = None) -> DepartmentSettingsForm:
        sellers = list(User.objects.sellers().select_related("team").order_by("last_name", "first_name", "username"))
        norms = dict(ColdCallNorm.objects.values_list("manager_id", "daily_calls"))
        return DepartmentSettingsForm(data, instance=DepartmentSettings.current(), sellers=sellers, norms=norms)

    def render(self, form: DepartmentSettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                department_settings_update(by=request.user, data=form.settings_data(), norms=form.norms_data())  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)  # type: ignore[arg-type]
            else:
                messages.success(request, _("The department settings are saved."))
                return redirect(reverse("department_settings"))
        return self.render(form, status=400)
