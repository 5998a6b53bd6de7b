"""The head's reassignment queue (the 3-month rule), the decision page, and a seller's clients near the rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.access import RoleRequiredMixin
from core.exports import Column, xlsx_response
from core.http import user_of
from crm.filters import DECIDED, ReassignmentFilterSet
from crm.forms.people import add_service_errors
from crm.forms.reassignments import BulkDecisionForm, ExtendForm, QueueFilterForm, ReassignForm
from crm.models import Deal, DepartmentSettings, Reassignment, User
from crm.selectors.reassignments import (
    attach_suggestions,
    near_rule_clients,
    near_rule_rows,
    queue_rows,
    with_purchases,
)
from crm.services.reassignments import (
    flags_extend_bulk,
    flags_reassign_bulk,
    flags_spread,
    reassignment_extend,
    reassignment_reassign,
    sellers_by_load,
)

ROWS = 30
NEAR_ROWS = 50


class QueueAccessMixin(RoleRequiredMixin):
    role_check = "works_in_sales"
    role_denied = gettext_lazy("The reassignment queue is for the sales head and sales managers.")


def filtered_flags(request: HttpRequest) -> tuple[QueueFilterForm, str, QuerySet[Reassignment]]:
    """The flags the tab shows, through visible_to: pending (the default), extended, or decided (newest first)."""
    user = user_of(request)
    form = QueueFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    status = status or Reassignment.Status.PENDING
    flags = ReassignmentFilterSet({"status": status}, queryset=Reassignment.objects.visible_to(user)).qs
    if status == DECIDED:
        flags = flags.order_by("-decided_at", "-id")
    else:
        flags = flags.order_by("flagged_on", "owned_since", "id")
    return form, status, flags


def decision_forms(flag: Reassignment, data: Any = None, which: str = "") -> dict[str, Any]:
    """The two forms for a pending flag; `which` names the one bound to `data` (after a refused POST)."""
    suggestions = getattr(flag, "suggestions", [])
    return {
        "reassign_form": ReassignForm(
            data if which == "reassign" else None, suggestions=suggestions, prefix=f"r{flag.pk}"
        ),
        "extend_form": ExtendForm(data if which == "extend" else None, prefix=f"e{flag.pk}"),
    }


def rows_of(flags: QuerySet[Reassignment], user: User) -> QuerySet[Reassignment]:
    """The flags with their facts and the client's last purchase and 12-month turnover, as the user sees them."""
    rows = queue_rows(flags=flags, deals=Deal.objects.visible_to(user))
    return with_purchases(rows, user=user, today=timezone.localdate())


class ReassignmentQueueView(QueueAccessMixin, View):
    """Flagged clients with their facts; the head reassigns (among the suggestions) or extends once, one by one or
    the selected ones at once from the bulk bar."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_queue(request)

    def render_queue(
        self,
        request: HttpRequest,
        *,
        bulk_form: BulkDecisionForm | None = None,
        selected: frozenset[int] = frozenset(),
        status_code: int = 200,
    ) -> HttpResponse:
        user = self.user
        form, status, flags = filtered_flags(request)
        page = Paginator(rows_of(flags, user), ROWS).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        decides = user.is_head and status == Reassignment.Status.PENDING
        if decides:
            attach_suggestions(rows)
            for row in rows:
                row.forms = decision_forms(row)
            if bulk_form is None:
                bulk_form = BulkDecisionForm(sellers=list(sellers_by_load()))
        context = {
            "filters": form,
            "status": status,
            "page": page,
            "rows": rows,
            "decides": decides,
            "decided_tab": status != Reassignment.Status.PENDING,
            "settings": DepartmentSettings.current(),
            "query": f"status={status}",
            "today": timezone.localdate(),
            "bulk_form": bulk_form,
            "selected": selected,
        }
        return TemplateResponse(request, "crm/reassignments/queue.html", context, status=status_code)


def _posted_ids(request: HttpRequest) -> list[int]:
    try:
        return sorted({int(value) for value in request.POST.getlist("flags")})
    except ValueError:
        raise Http404 from None


class ReassignmentBulkView(ReassignmentQueueView):
    """POST the selected flags (`flags`) and one bulk `action`: reassign, spread or extend. All or nothing: a refusal
    shows the queue again with the selection, what was typed and, per client, why it cannot be done."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        ids = _posted_ids(request)
        flags = list(
            Reassignment.objects.visible_to(user).filter(pk__in=ids).select_related("client", "owner").order_by("pk")
        )
        if len(flags) != len(ids):
            raise Http404
        if not user.is_head:
            raise PermissionDenied(_("Only the sales head decides on the reassignment queue."))
        form = BulkDecisionForm(request.POST, sellers=list(sellers_by_load()))
        if form.is_valid():
            now = timezone.now()
            today = timezone.localdate(now)
            reason = form.cleaned_data["reason"]
            action = form.cleaned_data["action"]
            try:
                if action == BulkDecisionForm.REASSIGN:
                    owner = form.chosen_owner
                    done = flags_reassign_bulk(
                        flags=flags, to_owner=owner, by=user, reason=reason, today=today, now=now
                    )
                    message = ngettext(
                        "%(count)d client passed to a new manager: %(owner)s.",
                        "%(count)d clients passed to a new manager: %(owner)s.",
                        len(done),
                    ) % {"count": len(done), "owner": owner}
                elif action == BulkDecisionForm.SPREAD:
                    done = flags_spread(
                        flags=flags, managers=form.chosen_managers, by=user, reason=reason, today=today, now=now
                    )
                    takers = sorted({str(flag.new_owner) for flag in done})
                    message = ngettext(
                        "%(count)d client passed: %(owners)s.", "%(count)d clients passed: %(owners)s.", len(done)
                    ) % {"count": len(done), "owners": ", ".join(takers)}
                else:
                    done = flags_extend_bulk(flags=flags, by=user, reason=reason, today=today, now=now)
                    until = done[0].extended_until
                    message = ngettext(
                        "%(count)d client stays with its manager until %(day)s.",
                        "%(count)d clients stay with their managers until %(day)s.",
                        len(done),
                    ) % {"count": len(done), "day": until.strftime("%d.%m.%Y") if until else ""}
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(reverse("reassignment_queue"))
        return self.render_queue(request, bulk_form=form, selected=frozenset(ids), status_code=400)


class ReassignmentDetailView(QueueAccessMixin, View):
    """One flag with its facts and the head's two forms; a refused decision comes back here with its errors."""

    def get_flag(self) -> Reassignment:
        user = self.user
        flag = get_object_or_404(rows_of(Reassignment.objects.visible_to(user), user), pk=self.kwargs["pk"])
        if user.is_head and flag.status == Reassignment.Status.PENDING:
            attach_suggestions([flag])
        return flag

    def render(self, flag: Reassignment, forms: dict[str, Any], status: int = 200) -> HttpResponse:
        context = {
            "flag": flag,
            "decides": self.user.is_head and flag.status == Reassignment.Status.PENDING,
            "settings": DepartmentSettings.current(),
            **forms,
        }
        return TemplateResponse(self.request, "crm/reassignments/detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = self.get_flag()
        return self.render(flag, decision_forms(flag))


class DecisionView(ReassignmentDetailView):
    """POST one decision (`which`: reassign or extend); success goes back to the queue, a refusal shows the flag
    with what was typed and the reason it was refused."""

    http_method_names = ["post"]
    which = "reassign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = self.get_flag()
        user = self.user
        if not user.is_head:
            raise PermissionDenied(_("Only the sales head decides on the reassignment queue."))
        forms = decision_forms(flag, request.POST, self.which)
        form = forms[f"{self.which}_form"]
        if form.is_valid():
            now = timezone.now()
            try:
                if self.which == "reassign":
                    reassignment_reassign(
                        reassignment=flag,
                        to_owner=form.cleaned_data["owner"],
                        by=user,
                        reason=form.cleaned_data["reason"],
                        today=timezone.localdate(now),
                        now=now,
                    )
                    message = _("%(client)s now belongs to %(owner)s.") % {
                        "client": flag.client,
                        "owner": form.cleaned_data["owner"],
                    }
                else:
                    flag = reassignment_extend(
                        reassignment=flag,
                        by=user,
                        reason=form.cleaned_data["reason"],
                        today=timezone.localdate(now),
                        now=now,
                    )
                    message = _("%(client)s stays with its manager until %(day)s.") % {
                        "client": flag.client,
                        "day": flag.extended_until.strftime("%d.%m.%Y") if flag.extended_until else "",
                    }
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(reverse("reassignment_queue"))
        return self.render(flag, forms, status=400)


def _deals_text(flag: Reassignment) -> str:
    return "; ".join(f"{deal.title} ({deal.get_stage_display()})" for deal in flag.client.queue_deals)  # type: ignore[attr-defined]


QUEUE_COLUMNS = [
    Column(gettext_lazy("Client"), lambda f: f.client.name, width=40),
    Column(gettext_lazy("INN"), lambda f: f.client.inn, width=14),
    Column(gettext_lazy("Manager"), lambda f: str(f.owner), width=24),
    Column(gettext_lazy("Owned since"), lambda f: f.owned_since),
    Column(gettext_lazy("Flagged on"), lambda f: f.flagged_on),
    Column(gettext_lazy("Activities during this ownership"), lambda f: f.activities_count, width=12),
    Column(
        gettext_lazy("Last contact"), lambda f: timezone.localtime(f.last_contact).date() if f.last_contact else None
    ),
    Column(gettext_lazy("Last purchase"), lambda f: f.last_purchase_on),
    Column(gettext_lazy("Last purchase amount"), lambda f: f.last_purchase_amount, money=True),
    Column(gettext_lazy("Turnover, 12 months"), lambda f: f.turnover_12m, money=True),
    Column(gettext_lazy("Deals and stages"), _deals_text, width=50),
    Column(gettext_lazy("Status"), lambda f: f.get_status_display(), width=16),
    Column(gettext_lazy("Extended until"), lambda f: f.extended_until),
    Column(gettext_lazy("New manager"), lambda f: str(f.new_owner or ""), width=24),
    Column(gettext_lazy("Reason"), lambda f: f.reason, width=40),
]


class ReassignmentExportView(QueueAccessMixin, View):
    """Exactly the flags the queue's tab shows, in Excel."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, _status, flags = filtered_flags(request)
        rows = rows_of(flags, self.user)
        return xlsx_response(
            filename="reassignments", title=_("Reassignment queue"), columns=QUEUE_COLUMNS, rows=list(rows)
        )


class NearRuleView(QueueAccessMixin, View):
    """The clients the 3-month rule will send to the head's queue within the warning days."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        # Paged: the order comes from narrow rows, only the page's clients are read (ids first).
        page = Paginator(near_rule_rows(self.user, today), NEAR_ROWS).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "clients": near_rule_clients(page.object_list),
            "settings": DepartmentSettings.current(),
            "today": today,
            "show_owner": self.user.sees_owners,
        }
        return TemplateResponse(request, "crm/reassignments/near_rule.html", context)
