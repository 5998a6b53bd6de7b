"""The head's audit page: who created, changed or deleted what, and when; searchable."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.audit import AuditFilterForm
from crm.selectors.audit import audit_rows, change_lines, login_rows

PAGE_SIZE = 50


class AuditView(RoleRequiredMixin, View):
    role_check = "is_head"
    role_denied = gettext_lazy("Only the sales head and the administrator read the audit log.")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = audit_rows(
            kind=filters.get("kind") or "",
            by_id=filters["by"].pk if filters.get("by") else None,
            object_id=filters.get("object_id"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        logins = request.GET.get("tab") == "logins"
        if logins:
            context = {
                "form": form,
                "logins": login_rows(
                    username=filters.get("username") or "",
                    date_from=filters.get("date_from"),
                    date_to=filters.get("date_to"),
                ),
                "tab": "logins",
            }
            return TemplateResponse(request, "crm/audit/audit.html", context)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        entries = [{"log": log, "lines": change_lines(log.changes)} for log in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "entries": entries, "query": query.urlencode(), "tab": "changes"}
        return TemplateResponse(request, "crm/audit/audit.html", context)
