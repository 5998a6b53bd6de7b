"""The top bar's search: the dropdown shown while typing, and the full results page (Enter, or "all results")."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from crm.models import Client, ContactPerson, Deal
from crm.selectors.search import KINDS, client_matches, contact_matches, deal_matches, search, search_term

DROPDOWN_LIMIT = 5
PAGE_LIMIT = 20
PER_PAGE = 50


class SearchAccessMixin(RoleRequiredMixin):
    role_check = "reads_clients"
    role_denied = _("Your role does not work with clients and deals.")


class SearchDropdownView(SearchAccessMixin, TemplateView):
    """At most DROPDOWN_LIMIT rows of each kind under the box, as the user types (htmx)."""

    template_name = "crm/search/_dropdown.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "")
        results = search(user=self.user, query=query, limit=DROPDOWN_LIMIT)
        return super().get_context_data(results=results, query=urlencode({"q": results.term.text}), **kwargs)


class SearchView(SearchAccessMixin, TemplateView):
    """Every kind with PAGE_LIMIT rows each, or, with `kind`, all the rows of one kind page by page."""

    template_name = "crm/search/search_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "")
        kind = self.request.GET.get("kind", "")
        context = super().get_context_data(**kwargs)
        if kind not in KINDS:
            results = search(user=self.user, query=query, limit=PAGE_LIMIT)
            return {**context, "results": results, "term": results.term, "query": urlencode({"q": results.term.text})}
        term = search_term(query)
        rows: QuerySet[Client] | QuerySet[ContactPerson] | QuerySet[Deal]
        if kind == "clients":
            rows = client_matches(term, user=self.user)
        elif kind == "contacts":
            rows = contact_matches(term, user=self.user)
        else:
            rows = deal_matches(term, user=self.user)
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        return {
            **context,
            "term": term,
            "kind": kind,
            "page": page,
            "query": urlencode({"q": term.text, "kind": kind}),
            "search_query": urlencode({"q": term.text}),
        }
