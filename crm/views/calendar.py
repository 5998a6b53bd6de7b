"""The head's working calendar: the Russian production calendar of a year, his corrections, working days a month."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.calendar import RUSSIA, month_shift, russian_holidays
from core.params import MAX_YEAR, MIN_YEAR, or_none, parse_id
from crm.forms.calendar import WorkingDayForm, WorkingDayResetForm
from crm.models import WorkingDayOverride
from crm.selectors.calendar import work_calendar
from crm.services.calendar import working_day_reset, working_day_set


class WorkingCalendarView(RoleRequiredMixin, View):
    template_name = "crm/settings/calendar.html"
    role_check = "is_head"
    role_denied = gettext_lazy("The working calendar is for the sales head and the administrator.")

    def year(self) -> int:
        year = or_none(parse_id, self.request.GET.get("year")) or timezone.localdate().year
        return min(max(year, MIN_YEAR), MAX_YEAR)

    def render(self, form: WorkingDayForm, year: int, status: int = 200) -> HttpResponse:
        calendar = work_calendar()
        months = [month_shift(date(year, 1, 1), i) for i in range(12)]
        context = {
            "form": form,
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "holidays": russian_holidays(year),
            "corrections": WorkingDayOverride.objects.filter(day__year=year).select_related("by"),
            "months": [
                {
                    "month": month,
                    "calendar": len(RUSSIA.working_days_of(month)),
                    "department": len(calendar.working_days_of(month)),
                }
                for month in months
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(WorkingDayForm(), self.year())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "reset" in request.POST:
            reset = WorkingDayResetForm(request.POST)
            if reset.is_valid():
                day = reset.cleaned_data["day"]
                working_day_reset(by=self.user, day=day)
                messages.success(
                    request, _("%(day)s follows the production calendar again.") % {"day": f"{day:%d.%m.%Y}"}
                )
                return redirect(f"{reverse('working_calendar')}?year={day.year}")
            return self.render(WorkingDayForm(), self.year(), status=400)
        form = WorkingDayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["day"]
            working_day_set(
                by=self.user, day=day, is_working=form.cleaned_data["is_working"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("%(day)s is corrected.") % {"day": f"{day:%d.%m.%Y}"})
            return redirect(f"{reverse('working_calendar')}?year={day.year}")
        return self.render(form, self.year(), status=400)
