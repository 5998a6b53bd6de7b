"""The head's pipeline review (DOMAIN.md section 7, pipeline control): per manager, the payment plan, charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from core.calendar import month_days
from core.charts import bar_option, stacked_bars_option
from core.exports import Column, xlsx_response
from core.http import user_of
from core.panels import PIPELINE_REVIEW, panels_for
from crm.forms.pipeline import ReviewFilterForm
from crm.models import Deal, DepartmentSettings, StageProbability, User
from crm.rules.stages import DEFAULT_PROBABILITY, OPEN_STAGES, PIPELINE, Stage
from crm.selectors.hunting import cold_call_widget
from crm.selectors.pipeline import ManagerPipeline, PipelineReview, pipeline_review

# The table and its printout carry all 14 stages; the weighted chart shows the open ones (a won deal weighs nothing
# more: it is paid).
REVIEW_STAGES = list(PIPELINE)
HALF = 7
CHART_STAGES = [code for code in PIPELINE if code in OPEN_STAGES]
ZERO = Decimal("0")


class ReviewRequiredMixin(RoleRequiredMixin):
    role_check = "reviews_team"
    role_denied = gettext_lazy("The pipeline review is for the sales head and team leads.")


def stage_probabilities() -> dict[str, int]:
    """The head's probabilities per stage, the defaults where none is set."""
    stored = dict(StageProbability.objects.values_list("stage", "probability"))
    return {code: stored.get(code, DEFAULT_PROBABILITY[code]) for code in REVIEW_STAGES}


def review_for(request: HttpRequest) -> tuple[ReviewFilterForm, PipelineReview, date]:
    """The review of what the filters show, through visible_to."""
    user = user_of(request)
    now = timezone.now()
    today = timezone.localdate(now)
    filters = ReviewFilterForm(request.GET or None, by=user)
    managers = User.objects.visible_to(user).sellers()
    if filters.is_valid() and filters.cleaned_data.get("team"):
        managers = managers.filter(team=filters.cleaned_data["team"])
    review = pipeline_review(
        deals=Deal.objects.visible_to(user),
        managers=managers.select_related("team"),
        today=today,
        now=now,
        small_share=DepartmentSettings.current().small_pipeline_share,
    )
    return filters, review, today


def stage_cells(person: ManagerPipeline) -> list[dict[str, Any]]:
    empty = {"count": 0, "amount": ZERO, "weighted": ZERO}
    return [{"stage": code, **person.by_stage.get(code, empty)} for code in REVIEW_STAGES]


def chart_data(review: PipelineReview, today: date) -> dict[str, Any]:
    """What review.js draws: the month's payment plan by day and the weighted pipeline by manager and stage."""
    days = month_days(today)
    return {
        "payments": {
            "days": [day.strftime("%d.%m") for day in days],
            "amounts": [float(review.payments_by_day.get(day, ZERO)) for day in days],
            "today": today.strftime("%d.%m"),
            "title": _("Expected payments by day"),
        },
        "weighted": {
            "managers": [str(p.manager) for p in review.managers],
            "stages": [str(Stage(code).label) for code in CHART_STAGES],
            "series": [
                [float(p.by_stage.get(code, {}).get("weighted", ZERO)) for p in review.managers]
                for code in CHART_STAGES
            ],
            "title": _("Weighted pipeline by manager and stage"),
        },
    }


def chart_options(charts: dict[str, Any]) -> dict[str, Any]:
    """The two charts' ECharts options, from the figures `chart_data` computed (core/charts.py)."""
    payments, weighted = charts["payments"], charts["weighted"]
    return {
        "payments": bar_option(
            categories=payments["days"],
            values=payments["amounts"],
            name=payments["title"],
            highlight=payments["today"],
            label_interval=1,
        ),
        "weighted": stacked_bars_option(
            categories=weighted["managers"], stacks=list(zip(weighted["stages"], weighted["series"], strict=True))
        ),
    }


class PipelineReviewView(ReviewRequiredMixin, TemplateView):
    template_name = "crm/pipeline/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters, review, today = review_for(self.request)
        probabilities = stage_probabilities()
        context.update(
            filters=filters,
            review=review,
            today=today,
            stages=(
                stages := [(n, code, Stage(code).label, probabilities[code]) for n, code in enumerate(REVIEW_STAGES, 1)]
            ),
            # Two lines of seven stages per manager, so that the 14 fit a 1280 px screen and an A4 landscape page.
            stage_lines=[stages[:HALF], stages[HALF:]],
            rows=[{"person": p, "lines": [(cells := stage_cells(p))[:HALF], cells[HALF:]]} for p in review.managers],
            charts=(charts := chart_data(review, today)),
            chart_options=chart_options(charts),
            query=self.request.GET.urlencode(),
            month_days=[(day, amount) for day, amount in review.payments_by_day.items() if amount],
            cold_calls=cold_call_widget(User.objects.visible_to(self.user).sellers(), today),
            panels=panels_for(PIPELINE_REVIEW, user=self.user, today=today),
        )
        return context


class PipelineReviewPrintView(PipelineReviewView):
    template_name = "crm/pipeline/review_print.html"


def _stage_value(code: str, key: str) -> Callable[[ManagerPipeline], Decimal | int]:
    def value(person: ManagerPipeline) -> Decimal | int:
        return person.by_stage.get(code, {}).get(key, 0)

    return value


def review_columns() -> list[Column]:
    columns = [
        Column(gettext_lazy("Manager"), lambda p: str(p.manager), width=28),
        Column(gettext_lazy("Team"), lambda p: str(p.manager.team or ""), width=16),
    ]
    for code in REVIEW_STAGES:
        label = Stage(code).label
        columns.append(Column(f"{label}: {_('deals')}", _stage_value(code, "count"), width=10))
        columns.append(Column(f"{label}: {_('amount')}", _stage_value(code, "amount"), money=True))
    columns += [
        Column(gettext_lazy("Open deals"), lambda p: p.open_count, width=10),
        Column(gettext_lazy("Open amount"), lambda p: p.open_amount, money=True),
        Column(gettext_lazy("Weighted amount"), lambda p: p.open_weighted, money=True),
        Column(gettext_lazy("Average deal"), lambda p: p.average_deal, money=True),
        Column(gettext_lazy("Without a next task"), lambda p: p.without_task, width=12),
        Column(gettext_lazy("With an overdue task"), lambda p: p.overdue_task, width=12),
        Column(gettext_lazy("Pipeline too small"), lambda p: _("yes") if p.too_small else "", width=12),
    ]
    return columns


class PipelineReviewExportView(ReviewRequiredMixin, View):
    """The per-manager table as XLSX, exactly what the filters show."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _filters, review, today = review_for(request)
        return xlsx_response(
            filename=f"pipeline-review-{today:%Y-%m-%d}",
            title=_("Pipeline review"),
            columns=review_columns(),
            rows=review.managers,
        )
