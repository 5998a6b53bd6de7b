"""Contests: the list, the head's form, the leaderboard (chart, table, Excel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.forms.contests import ContestForm
from analytics.models import Contest
from analytics.selectors.contests import Leaderboard, contest_list, contests_visible, leaderboard
from analytics.services.contests import contest_save
from analytics.views.access import AnalyticsPageMixin
from core.charts import bar_option
from core.exports import Column, xlsx_response
from core.params import or_none, parse_date
from crm.forms.people import add_service_errors
from crm.models import User


def page_as_of(request: HttpRequest) -> date:
    return or_none(parse_date, request.GET.get("as_of")) or timezone.localdate()


def contest_sellers() -> Any:
    return User.objects.sellers().select_related("team").order_by("last_name", "first_name", "pk")


class ContestListView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        as_of = page_as_of(request)
        contests = contest_list(self.user)
        rows = [{"contest": c, "status": c.status_on(as_of)} for c in contests]
        return TemplateResponse(request, "analytics/contests/list.html", {"rows": rows, "as_of": as_of})


class ContestFormView(AnalyticsPageMixin, View):
    """The head creates a contest, or changes one whose results have not gone out yet."""

    def allows(self, user: User) -> bool:
        return user.sees_everything

    def contest(self, pk: int | None) -> Contest | None:
        return get_object_or_404(Contest, pk=pk) if pk is not None else None

    def render(self, form: ContestForm, contest: Contest | None, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request, "analytics/contests/form.html", {"form": form, "contest": contest}, status=status
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contest = self.contest(pk)
        return self.render(ContestForm(sellers=contest_sellers(), contest=contest), contest)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contest = self.contest(pk)
        form = ContestForm(request.POST, sellers=contest_sellers(), contest=contest)
        if not form.is_valid():
            return self.render(form, contest, status=400)
        data = form.cleaned_data
        try:
            saved = contest_save(
                by=self.user,
                contest=contest,
                name=data["name"],
                metric=data["metric"],
                start=data["start"],
                end=data["end"],
                prizes=data["prizes"],
                entries=form.entries(),
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"quotas": "default_quota"})
            return self.render(form, contest, status=400)
        return redirect("analytics_contest_detail", pk=saved.pk)


def board_for(request: HttpRequest, pk: int, user: User) -> Leaderboard:
    contest = get_object_or_404(contests_visible(user), pk=pk)
    return leaderboard(contest=contest, as_of=page_as_of(request), viewer=user)


def board_chart(board: Leaderboard) -> dict[str, Any]:
    """% of the own quota per participant in board order, the viewer's bar in red (no quota: 0)."""
    me = next((str(row.user) for row in board.rows if row.is_me), None)
    option = bar_option(
        categories=[str(row.user) for row in board.rows],
        values=[float(row.percent or 0) for row in board.rows],
        name=_("Quota met"),
        highlight=me,
    )
    option["money"] = False
    return option


class ContestDetailView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        board = board_for(request, pk, self.user)
        context = {
            "board": board,
            "contest": board.contest,
            "chart_option": board_chart(board),
            "mine": board.row_of(self.user),
            "can_edit": self.user.sees_everything and board.contest.results_sent_at is None,
        }
        return TemplateResponse(request, "analytics/contests/detail.html", context)


def _quota_text(row: Any) -> Any:
    return row.quota if row.quota is not None else _("no quota")


BOARD_COLUMNS = [
    Column(gettext_lazy("Position"), lambda row: row.position, width=10),
    Column(gettext_lazy("Participant"), lambda row: str(row.user), width=30),
    Column(gettext_lazy("Achieved"), lambda row: row.achieved),
    Column(gettext_lazy("Own quota"), _quota_text),
    Column(gettext_lazy("Quota met"), lambda row: row.percent if row.percent is not None else _("no quota")),
]


class ContestExportView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        board = board_for(request, pk, self.user)
        return xlsx_response(
            filename=f"contest-{board.contest.pk}",
            title=board.contest.name[:31],
            columns=BOARD_COLUMNS,
            rows=board.rows,
        )
