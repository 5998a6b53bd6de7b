"""The pipeline board: 14 stage columns and Lost, drag and drop through crm.services.deals like the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from core.exports import Column, xlsx_response
from crm.filters import DealFilterSet
from crm.forms.pipeline import BoardFilterForm, DealLoseForm, DealMoveForm
from crm.models import Deal, User
from crm.models.deals import DealQuerySet
from crm.rules.stages import ACTIVE_STAGES, OPEN_STAGES, ORDER, Stage, move_targets
from crm.selectors.pipeline import board_column_page, board_columns
from crm.services.deals import MOVE_FIELDS, deal_lose, deal_move_stage

# The first cards of each column (the most recently moved); the column's count and sums cover all its deals and
# "show all" brings the next ones by htmx. Ten, not 30: the head's board rendered 450 cards (1.1 MB, 650 ms) at
# 100 000 deals (docs/head-guide.md, bench/README.md "Pages and API at huge").
CARDS_PER_COLUMN = 10


class PipelineRequiredMixin(RoleRequiredMixin):
    """Anonymous visitors go to the login page; roles without sales deals get 403."""

    role_check = "works_in_sales"
    role_denied = gettext_lazy("The pipeline is for sales managers, team leads and the sales head.")


def filter_deals(deals: DealQuerySet, filters: BoardFilterForm) -> DealQuerySet:
    """The board's filters through the deals' one FilterSet (the API's); the form only offers the choices."""
    if not filters.is_valid():
        return deals
    params = {name: getattr(value, "pk", value) for name, value in filters.cleaned_data.items() if value}
    return DealFilterSet(params, queryset=deals).qs  # type: ignore[return-value]


# The query string's own keys (paging), kept out of the filters' query that the links and the reload carry.
PAGING_KEYS = ("open", "stage", "page")


def filters_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in PAGING_KEYS:
        params.pop(key, None)
    return params.urlencode()


def open_pages(request: HttpRequest) -> dict[str, int]:
    """`open=<stage>:<pages>` (repeated): the columns whose further pages the user had opened before a reload."""
    pages: dict[str, int] = {}
    for value in request.GET.getlist("open"):
        stage, _sep, count = value.partition(":")
        if stage in Stage.values and count.isdigit():
            pages[stage] = min(int(count), 100)
    return pages


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def prepare_cards(deals: list[Deal], *, user: User, now: datetime) -> None:
    """What a card shows besides the deal: days in its stage and the stages its "move to" menu offers."""
    may_go_back = user.is_head
    for deal in deals:
        deal.days_in_stage = max(0, (now - deal.stage_changed_at).days)  # type: ignore[attr-defined]
        deal.move_targets = [  # type: ignore[attr-defined]
            (code, Stage(code).label)
            for code in move_targets(deal.stage, lost_from_stage=deal.lost_from_stage, may_go_back=may_go_back)
        ]


class BoardView(PipelineRequiredMixin, TemplateView):
    template_name = "crm/pipeline/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.user
        now = timezone.now()
        filters = BoardFilterForm(self.request.GET or None, by=user)
        columns = board_columns(
            deals=filter_deals(Deal.objects.visible_to(user), filters),
            now=now,
            per_column=CARDS_PER_COLUMN,
            pages=open_pages(self.request),
        )
        for column in columns:
            prepare_cards(column.deals, user=user, now=now)
        context.update(
            filters=filters,
            columns=[c for c in columns if c.stage != Stage.LOST],
            lost=next(c for c in columns if c.stage == Stage.LOST),
            show_owner=user.sees_owners,
            query=filters_query(self.request),
            board_url=reverse("board"),
        )
        return context


class BoardColumnsView(BoardView):
    """Only the columns: the board reloads them after a move so the totals stay right (with `open`, the pages the
    user had opened stay open)."""

    template_name = "crm/pipeline/_columns.html"


class BoardColumnPageView(PipelineRequiredMixin, View):
    """`?stage=&page=` (and the board's filters): the next page of one column's cards, for the column's "show all"
    button; the answer also replaces the button (an htmx out-of-band swap) with the next one, or none."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        stage = request.GET.get("stage", "")
        if stage not in Stage.values:
            return HttpResponse(status=404)
        now = timezone.now()
        filters = BoardFilterForm(request.GET or None, by=user)
        page = board_column_page(
            deals=filter_deals(Deal.objects.visible_to(user), filters),
            stage=stage,
            page=_page_number(request.GET.get("page")),
            now=now,
            per_page=CARDS_PER_COLUMN,
        )
        prepare_cards(page.deals, user=user, now=now)
        context = {
            "page": page,
            "shown": min(page.count, page.page * CARDS_PER_COLUMN),
            "show_owner": user.sees_owners,
            "query": filters_query(request),
            "board_url": reverse("board"),
        }
        return TemplateResponse(request, "crm/pipeline/_column_page.html", context)


def board_export_columns(now: datetime) -> list[Column]:
    def hygiene(deal: Deal) -> str:
        if deal.stage not in ACTIVE_STAGES:
            return ""
        if deal.has_overdue_task:  # type: ignore[attr-defined]
            return _("overdue task")
        return "" if deal.has_open_task else _("no next task")  # type: ignore[attr-defined]

    return [
        Column(gettext_lazy("Deal"), lambda d: d.title, width=36),
        Column(gettext_lazy("Client"), lambda d: d.client.name, width=32),
        Column(gettext_lazy("Manager"), lambda d: str(d.owner), width=24),
        Column(gettext_lazy("Stage"), lambda d: d.get_stage_display(), width=24),
        Column(gettext_lazy("Amount"), lambda d: d.amount, money=True),
        Column(gettext_lazy("Probability, %"), lambda d: d.probability, width=10),
        Column(gettext_lazy("Weighted amount"), lambda d: d.weighted_amount, money=True),
        Column(gettext_lazy("Expected close"), lambda d: d.expected_close_date, width=14),
        Column(gettext_lazy("Days in stage"), lambda d: max(0, (now - d.stage_changed_at).days), width=10),
        Column(gettext_lazy("Next task"), hygiene, width=18),
        Column(gettext_lazy("Loss reason"), lambda d: str(d.lost_reason or ""), width=24),
    ]


class BoardExportView(PipelineRequiredMixin, View):
    """Every deal the board's filters show (not only the cards on screen), as XLSX."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        now = timezone.now()
        filters = BoardFilterForm(request.GET or None, by=user)
        deals = (
            filter_deals(Deal.objects.visible_to(user), filters)
            .with_hygiene(now)
            .select_related("client", "owner", "lost_reason")
            .order_by("stage", "-stage_changed_at", "-pk")
        )
        return xlsx_response(
            filename=f"pipeline-{timezone.localdate(now):%Y-%m-%d}",
            title=_("Pipeline"),
            columns=board_export_columns(now),
            rows=deals.iterator(chunk_size=2000),
        )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next_url(request: HttpRequest, deal: Deal) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("deal_detail", args=[deal.pk])


def _messages(errors: dict[str, list[str]]) -> str:
    return " ".join(message for messages in errors.values() for message in messages)


def _missing_completion_fields(deal: Deal) -> list[str]:
    return [name for name in MOVE_FIELDS.get(deal.stage, ()) if getattr(deal, name) in (None, "")]


class DealMoveView(PipelineRequiredMixin, View):
    """POST `stage` (and, from the small form, the completion data, `reason` or `lost_reason`): move one deal.

    Answers JSON to the board's script (`Accept: application/json`): `ok`, or the refusal `message`, or the
    `form` to fill in; a plain form post gets a redirect on success and a page with the form otherwise.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self.user
        deal = get_object_or_404(Deal.objects.visible_to(user).select_related("client", "owner"), pk=pk)
        to_stage = request.POST.get("stage", "")
        submitted = request.POST.get("confirm") == "1"
        if to_stage == Stage.LOST:
            return self.lose(request, deal, submitted)
        completion = MOVE_FIELDS.get(deal.stage, ())
        shown = [name for name in completion if name in request.POST]
        form = DealMoveForm(
            request.POST if submitted else None, deal=deal, fields=shown, ask_reason="reason" in request.POST
        )
        if submitted and not form.is_valid():
            return self.form_answer(request, deal, to_stage, form, status=400)
        data = form.completion_data if submitted else {}
        reason = form.cleaned_data.get("reason", "") if submitted else ""
        try:
            deal_move_stage(deal=deal, to_stage=to_stage, by=user, reason=reason or "", data=data)
        except ValidationError as exc:
            errors = exc.message_dict
            others = {k: v for k, v in errors.items() if k not in completion and k != "reason"}
            if others:
                return self.refusal(request, deal, _messages(others))
            wanted = set(shown) | set(errors)
            if wanted & set(completion):
                wanted |= set(_missing_completion_fields(deal))
            fields = [name for name in completion if name in wanted]
            form = DealMoveForm(
                request.POST if submitted else None,
                deal=deal,
                fields=fields,
                ask_reason="reason" in errors or "reason" in request.POST,
            )
            if submitted:
                form.is_valid()
                for name, messages in errors.items():
                    form.add_error(name if name in form.fields else None, messages)
            return self.form_answer(request, deal, to_stage, form, status=400 if submitted else 200)
        return self.success(request, deal)

    def lose(self, request: HttpRequest, deal: Deal, submitted: bool) -> HttpResponse:
        if deal.stage not in OPEN_STAGES:
            if deal.stage == Stage.LOST:
                return self.refusal(request, deal, _("The deal is already lost."))
            return self.refusal(request, deal, _("A deal whose invoice is paid is won and cannot be lost."))
        form = DealLoseForm(request.POST if submitted else None)
        if not submitted or not form.is_valid():
            return self.form_answer(request, deal, Stage.LOST, form, status=400 if submitted else 200)
        try:
            deal_lose(
                deal=deal,
                reason=form.cleaned_data["lost_reason"],
                note=form.cleaned_data["note"],
                by=self.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            if "reason" in errors:
                form.add_error("lost_reason", errors.pop("reason"))
                return self.form_answer(request, deal, Stage.LOST, form, status=400)
            return self.refusal(request, deal, _messages(errors))
        return self.success(request, deal)

    def success(self, request: HttpRequest, deal: Deal) -> HttpResponse:
        if _wants_json(request):
            return JsonResponse({"ok": True, "deal": deal.pk})
        return redirect(_next_url(request, deal))

    def refusal(self, request: HttpRequest, deal: Deal, message: str) -> HttpResponse:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message, "stage": deal.stage}, status=400)
        context = {"deal": deal, "message": message, "next": _next_url(request, deal)}
        return self.render(request, "crm/pipeline/deal_move.html", context, status=400)

    def form_answer(self, request: HttpRequest, deal: Deal, to_stage: str, form: Any, *, status: int) -> HttpResponse:
        target = Stage(to_stage).label if to_stage in Stage.values else to_stage
        context = {
            "deal": deal,
            "form": form,
            "to_stage": to_stage,
            "to_label": target,
            "from_label": Stage(deal.stage).label,
            "backward": deal.stage == Stage.LOST or ORDER.get(to_stage, 99) < ORDER.get(deal.stage, 0),
            "is_lose": to_stage == Stage.LOST,
            "next": _next_url(request, deal),
        }
        if _wants_json(request):
            html = render_to_string("crm/pipeline/_move_form.html", context, request=request)
            return JsonResponse({"ok": False, "form": html, "stage": deal.stage}, status=status)
        return self.render(request, "crm/pipeline/deal_move.html", context, status=status)

    @staticmethod
    def render(request: HttpRequest, template: str, context: dict[str, Any], *, status: int) -> HttpResponse:
        return HttpResponse(render_to_string(template, context, request=request), status=status)
