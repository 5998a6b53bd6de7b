"""The top bar's bell (polled by htmx every minute) and a user's own settings page (reminders, morning digest)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.people import add_service_errors
from crm.forms.reminders import MySettingsForm
from crm.selectors.reminders import bell_tasks
from crm.services.reminders import user_reminders_update


def clock() -> datetime:
    """The bell's "now"; tests patch it to look at a fixed moment."""
    return timezone.now()


class ReminderBellView(RoleRequiredMixin, View):
    """The bell's counter and dropdown: the user's own tasks overdue or due within his reminder minutes."""

    template_name = "crm/reminders/_bell.html"

    def handle_no_permission(self) -> HttpResponse:  # type: ignore[override]  # stubs: only ever a redirect
        # The minute's poll after the session ended: an empty bell, not the login page inside the top bar (nor a
        # jump to it that would lose a form being filled); the next page the user opens asks him to log in.
        if self.request.headers.get("HX-Request") and not self.request.user.is_authenticated:
            return HttpResponse("")
        return super().handle_no_permission()

    def get(self, request: HttpRequest) -> HttpResponse:
        # The service owner has no tasks: his bell is empty, and costs no query.
        bell = None if self.user.is_service else bell_tasks(user=self.user, now=clock())
        return TemplateResponse(request, self.template_name, {"bell": bell})


class MySettingsView(RoleRequiredMixin, View):
    """Any logged-in user's own settings; on an error the form comes back with what was typed (status 400)."""

    template_name = "crm/reminders/my_settings.html"

    def render(self, form: MySettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(MySettingsForm.of(self.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MySettingsForm(request.POST)
        if form.is_valid():
            try:
                user_reminders_update(by=self.user, user=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your settings are saved."))
                return redirect(reverse("my_settings"))
        return self.render(form, status=400)
