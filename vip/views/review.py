"""The weekly review of the problem register for the meeting of sales and service, and its A4 printout."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.models import User
from vip.forms.review import ReviewWeekForm
from vip.models.programme import runs_programme
from vip.selectors.review import weekly_review


def sees_review(user: User) -> bool:
    """The VIP head, the head (and the admin) and the service owner: the two sides of the weekly meeting."""
    return runs_programme(user) or user.is_service


class ReviewPageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The weekly review is for the VIP head, the head and the service owner.")

    def allows(self, user: User) -> bool:
        return sees_review(user)


class ReviewView(ReviewPageMixin, View):
    template_name = "vip/review.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, today=timezone.localdate())

    def render(self, request: HttpRequest, *, today: date) -> HttpResponse:
        form = ReviewWeekForm(request.GET or None, initial={"week": today})
        valid = form.is_valid() if form.is_bound else True
        day = (form.cleaned_data.get("week") if valid and form.is_bound else None) or today
        review = weekly_review(user=self.user, day=day)
        context = {
            "form": form,
            "review": review,
            "week_param": review.start.isoformat(),
            "links_clients": self.user.reads_clients,
        }
        return TemplateResponse(request, self.template_name, context, status=200 if valid else 400)


class ReviewPrintView(ReviewView):
    template_name = "vip/review_print.html"
