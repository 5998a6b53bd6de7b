"""The win-back tab of the head's queue (free lost clients, apart from the 3-month decisions) and a manager taking
the free win-back his long list offers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.params import or_none, parse_id
from crm.forms.reassignments import ReassignForm
from crm.models import Client, LongList, LongListEntry
from crm.selectors.winbacks import attach_lost_by, win_backs
from crm.services.reassignments import sellers_by_load
from crm.services.winbacks import win_back_assign, win_back_take

ROWS = 30


def _forms(rows: list[Client], data: object = None, bound: int | None = None) -> None:
    sellers = list(sellers_by_load())
    for row in rows:
        suggestions = [s for s in sellers if s.pk not in row.lost_by_all]  # type: ignore[attr-defined]
        row.form = ReassignForm(  # type: ignore[attr-defined]
            data if row.pk == bound else None, suggestions=suggestions, prefix=f"w{row.pk}"
        )


class WinBackListView(RoleRequiredMixin, View):
    """Free win-backs, biggest former buyers first: last purchase, turnover of the year before it, who lost it."""

    role_check = "is_head"
    role_denied = gettext_lazy("Only the sales head gives win-back clients to managers.")

    def rows(self) -> tuple[object, list[Client]]:
        page = Paginator(win_backs(), ROWS).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        attach_lost_by(rows)
        return page, rows

    def render(self, page: object, rows: list[Client], status: int = 200) -> HttpResponse:
        context = {"page": page, "rows": rows, "today": timezone.localdate()}
        return TemplateResponse(self.request, "crm/reassignments/win_backs.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        page, rows = self.rows()
        _forms(rows)
        return self.render(page, rows)

    def post(self, request: HttpRequest) -> HttpResponse:
        """Give one win-back (`client`) to the chosen manager; a refusal comes back on that row's form."""
        pk = or_none(parse_id, request.POST.get("client"))
        chosen = win_backs().filter(pk=pk).first() if pk else None
        if chosen is None:
            raise Http404(_("This client is no longer a free win-back."))
        page, rows = self.rows()
        rows = [chosen] + [row for row in rows if row.pk != chosen.pk]
        attach_lost_by(rows)
        _forms(rows, request.POST, chosen.pk)
        form = chosen.form  # type: ignore[attr-defined]
        if form.is_valid():
            try:
                win_back_assign(
                    client=chosen, to_owner=form.cleaned_data["owner"], by=self.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                done = {"client": chosen.name, "manager": form.cleaned_data["owner"]}
                messages.success(request, _("%(client)s goes to %(manager)s.") % done)
                return redirect(reverse("win_backs"))
        return self.render(page, rows, status=400)


class WinBackTakeView(RoleRequiredMixin, View):
    """POST: the manager takes the free win-back on his long list; it becomes his client from today."""

    role_check = "is_seller"
    role_denied = gettext_lazy("Only a sales manager takes a client from his long list.")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entries = LongListEntry.objects.filter(long_list__in=LongList.objects.visible_to(self.user))
        entry = get_object_or_404(entries.select_related("client", "long_list"), pk=pk)
        back = f"{reverse('long_list')}?month={entry.long_list.month:%Y-%m}"
        try:
            win_back_take(entry=entry, by=self.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(client)s is your client now.") % {"client": entry.client})
        return redirect(back)
