"""The clients list (filters, sort, Excel, print) and the client card (contacts, sales, deals, activities, history)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from core.charts import bar_option
from core.concurrency import StaleVersion, editing_version
from core.exports import Column, xlsx_response
from core.http import AuthedHttpRequest, user_of
from core.pagination import WideRowsPaginator
from core.panels import client_panels_for
from core.params import or_none, parse_id
from crm.filters import ClientFilterSet
from crm.forms.clients import (
    ClientActivityForm,
    ClientCreateForm,
    ClientFilterForm,
    ClientForm,
    ContactForm,
    ContactUpdateForm,
)
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.people import add_service_errors
from crm.forms.stock import StockRequestForm
from crm.models import Client, ContactPerson, Deal, StockRequest
from crm.models.validators import format_phone, validate_inn, validate_kpp
from crm.selectors.clients import (
    CLIENT_SORTS,
    DEFAULT_CLIENT_SORT,
    change_rows,
    client_card,
    client_filter_choices,
    client_rows,
)
from crm.selectors.stock import client_stock_requests
from crm.services.activities import activity_create
from crm.services.clients import (
    can_change_client,
    can_change_contacts,
    client_create,
    client_fields_for,
    client_update,
    contact_create,
    contact_delete,
    contact_update,
    inn_check,
)
from crm.services.stock import may_request_for

PER_PAGE = 50
PRINT_ROWS = 1000
INN_LENGTHS = (10, 12)  # a company's, a person's
INN_TYPED_MAX = 32


class ClientQuery:
    """The list as the request asks for it: ClientFilterSet (shared with the API) on the visible clients, sorted."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = user_of(request)
        data = request.GET.copy()
        if not self.user.sees_owners:
            data.pop("owner", None)
        self.data = data
        self.filterset = ClientFilterSet(data, queryset=Client.objects.visible_to(self.user), request=request)
        sort = data.get("sort") or DEFAULT_CLIENT_SORT
        self.sort = sort if sort in CLIENT_SORTS else DEFAULT_CLIENT_SORT

    @cached_property
    def is_valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def errors(self) -> list[str]:
        return [f"{self.label(name)}: {' '.join(messages)}" for name, messages in self.filterset.errors.items()]

    def label(self, name: str) -> str:
        labels = {"q": _("Search"), "segment": _("Segment"), "owner": _("Manager"), "region": _("Region")}
        return str(labels.get(name, name))

    def rows(self) -> QuerySet[Client]:
        clients = self.filterset.qs if self.is_valid else Client.objects.none()
        return client_rows(clients, user=self.user, today=timezone.localdate(), sort=self.sort)

    def querystring(self, **changes: str | None) -> str:
        """The current filters as a query string, with `changes` applied (None removes a key); never the page."""
        query = QueryDict(mutable=True)
        for key, values in self.data.lists():
            if key != "page" and any(values):
                query.setlist(key, [v for v in values if v])
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = value
        return query.urlencode()


def client_columns(show_owner: bool) -> list[Column]:
    columns = [
        Column(gettext_lazy("Client"), lambda c: c.name, width=40),
        Column(gettext_lazy("INN"), lambda c: c.inn, width=14),
        Column(gettext_lazy("KPP"), lambda c: c.kpp, width=12),
        Column(gettext_lazy("Phone"), lambda c: format_phone(c.phone), width=16),
        Column(gettext_lazy("E-mail"), lambda c: c.email, width=24),
        Column(gettext_lazy("Region"), lambda c: c.region),
        Column(gettext_lazy("Segment"), lambda c: c.segment.name if c.segment else ""),
        Column(gettext_lazy("Category"), lambda c: c.get_category_display(), width=10),
        Column(gettext_lazy("Source"), lambda c: c.get_source_display(), width=10),
        Column(gettext_lazy("Status"), lambda c: c.get_status_display(), width=12),
    ]
    if show_owner:
        columns.append(Column(gettext_lazy("Manager"), lambda c: str(c.owner) if c.owner else "", width=24))
    columns += [
        Column(gettext_lazy("Owned since"), lambda c: c.owned_since, width=12),
        Column(gettext_lazy("Last contact"), lambda c: c.last_contact),
        Column(gettext_lazy("Last purchase"), lambda c: c.last_purchase, width=14),
        Column(gettext_lazy("Turnover, 12 months"), lambda c: c.turnover_12m, money=True),
    ]
    return columns


class ClientReaderMixin(RoleRequiredMixin):
    """The client base is closed to roles that read no clients (the service owner): 403, not an empty list."""

    role_check = "reads_clients"
    role_denied = gettext_lazy("Your role does not work with clients and deals.")


class ClientListView(ClientReaderMixin, TemplateView):
    template_name = "crm/clients/client_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.query = ClientQuery(request)
        response = super().get(request, *args, **kwargs)
        if not self.query.is_valid:
            response.status_code = 400
        return response

    def filter_context(self) -> dict[str, Any]:
        user = self.query.user
        choices = client_filter_choices(user=user)
        show_owner = user.sees_owners
        form = ClientFilterForm(
            self.query.data,
            segments=choices["segments"],
            regions=choices["regions"],
            owners=choices["owners"] if show_owner else None,
        )
        return {"filter_form": form, "filter_errors": self.query.errors, "show_owner": show_owner}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(**self.filter_context(), **self.rows_context(), now=timezone.now())
        return context

    def rows_context(self) -> dict[str, Any]:
        """One page of rows, the sortable headers' links and the query string that pages and exports keep."""
        query = self.query
        # Ids first: sorting 100 000 clients joined to owner and segment took 450 ms, their ids alone a third.
        page = WideRowsPaginator(query.rows(), PER_PAGE).get_page(self.request.GET.get("page"))
        sort_base = query.sort.lstrip("-")
        headers = {}
        for key in ("name", "owner", "last_purchase", "turnover", "last_contact"):
            ascending = query.sort == key
            headers[key] = {
                "url": "?" + query.querystring(sort=f"-{key}" if ascending else key),
                "state": ("asc" if ascending else "desc") if sort_base == key else "",
            }
        return {
            "page": page,
            "clients": page.object_list,
            "headers": headers,
            "query": query.querystring(),
            "export_query": query.querystring(),
        }


class ClientListPrintView(ClientListView):
    """The filtered list on A4 (landscape), every row up to PRINT_ROWS rather than one page."""

    template_name = "crm/clients/client_list_print.html"

    def rows_context(self) -> dict[str, Any]:
        rows = self.query.rows()
        clients = list(rows[:PRINT_ROWS])
        return {"clients": clients, "total": rows.count() if len(clients) == PRINT_ROWS else len(clients)}


class ClientExportView(ClientReaderMixin, View):
    """Exactly the rows the list shows for these filters (every page), in the list's order."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = ClientQuery(request)
        if not query.is_valid:
            return HttpResponse("\n".join(query.errors), status=400, content_type="text/plain; charset=utf-8")
        return xlsx_response(
            filename="clients",
            title=_("Clients"),
            columns=client_columns(query.user.sees_owners),
            rows=query.rows().iterator(chunk_size=2000),
        )


# --- the client card ---------------------------------------------------------------------------------------------


def visible_client(request: HttpRequest, pk: int) -> Client:
    """The client if the user may see it; 404 otherwise (never 403 for someone else's client)."""
    clients = Client.objects.visible_to(user_of(request)).select_related("owner", "segment")
    return get_object_or_404(clients, pk=pk)


class ClientDetailView(LoginRequiredMixin, TemplateView):
    template_name = "crm/clients/client_detail.html"

    @cached_property
    def client_obj(self) -> Client:
        return visible_client(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = user_of(self.request)
        now = timezone.now()
        client = self.client_obj
        card = client_card(client=client, user=user, now=now)
        may_request = may_request_for(user, client)
        chart: dict[str, Any] = {
            "title": _("Sales, ₽"),
            "months": [s.month.strftime("%m.%Y") for s in card.sales_by_month],
            "amounts": [float(s.amount) for s in card.sales_by_month],
        }
        option = bar_option(categories=chart["months"], values=chart["amounts"], name=chart["title"], label_interval=2)
        context.update(
            client=client,
            card=card,
            changes=change_rows(card.changes),
            chart=chart,
            chart_json=json.dumps(chart),
            chart_option=option,
            may_edit=can_change_client(user, client),
            may_add_contact=can_change_contacts(user, client),
            may_log_call=user.reads_clients,
            stock_requests=client_stock_requests(client=client, requests=StockRequest.objects.visible_to(user)),
            may_request_stock=may_request,
            stock_form=kwargs.get("stock_form") or (StockRequestForm() if may_request else None),
            contact_form=kwargs.get("contact_form") or ContactForm(),
            may_create_deal=user.works_in_sales,
            may_add_activity=user.reads_clients,
            activity_form=kwargs.get("activity_form") or client_activity_form(user, client),
            activity_form_open=kwargs.get("activity_form_open", False),
            contact_form_open=kwargs.get("contact_form_open", False),
            show_owner=user.sees_owners,
            next_url=self.request.get_full_path(),
            now=now,
            client_panels=client_panels_for(client=client, user=user, today=timezone.localdate(now)),
        )
        return context


def client_activity_form(user: Any, client: Client, data: QueryDict | None = None) -> ClientActivityForm:
    """The card's activity form; it may be about one of the client's open deals the user sees."""
    deals = Deal.objects.visible_to(user).open().filter(client=client)
    return ClientActivityForm(data, deals=deals)


def _card_with_errors(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    """The client card again, with the form that failed open and what was typed in it (400)."""
    view = ClientDetailView(request=request, kwargs={"pk": pk}, args=())
    return TemplateResponse(request, view.template_name, view.get_context_data(**forms), status=400).render()


class ClientPrintView(ClientDetailView):
    template_name = "crm/clients/client_print.html"


class ClientUpdateView(LoginRequiredMixin, View):
    """Edit the client's details through crm.services.clients.client_update; errors keep what was typed."""

    template_name = "crm/clients/client_form.html"

    def setup_client(self, request: AuthedHttpRequest, pk: int) -> Client:
        client = visible_client(request, pk)
        if not can_change_client(request.user, client):
            raise PermissionDenied(_("You may not change this client."))
        return client

    def render(self, request: HttpRequest, client: Client, form: ClientForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"client": client, "form": form}, status=status)

    def get(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        client = self.setup_client(request, pk)
        return self.render(
            request,
            client,
            ClientForm(
                initial=ClientForm.initial_for(client),
                by=request.user,
                segment_id=client.segment_id,
                client_pk=client.pk,
            ),
        )

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        client = self.setup_client(request, pk)
        form = ClientForm(request.POST, by=request.user, segment_id=client.segment_id, client_pk=client.pk)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields if name != REVISION}
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    client_update(client=client, by=request.user, data=data)
            except StaleVersion as exc:
                mark_stale(form, exc.current)
                client.refresh_from_db()
            except ValidationError as exc:
                client.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The client is saved."))
                return redirect("client_detail", pk=client.pk)
        return self.render(request, client, form, status=400)


class ContactCreateView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        client = visible_client(request, pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact_create(by=request.user, client=client, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The contact person is added."))
                return redirect("client_detail", pk=client.pk)
        return _card_with_errors(request, pk, contact_form=form, contact_form_open=True)


class ClientCreateView(RoleRequiredMixin, View):
    """A new client through crm.services.clients.client_create: a manager's own, the head's or a team lead's for the
    manager they choose; a duplicate INN names whose client it already is."""

    template_name = "crm/clients/client_form.html"
    role_check = "works_prospects"
    role_denied = gettext_lazy("Your role does not add clients.")

    def render(self, request: HttpRequest, form: ClientCreateForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"client": None, "form": form}, status=status)

    def get(self, request: AuthedHttpRequest) -> HttpResponse:
        return self.render(request, ClientCreateForm(by=request.user))

    def post(self, request: AuthedHttpRequest) -> HttpResponse:
        by = request.user
        form = ClientCreateForm(request.POST, by=by)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in client_fields_for(by)}
            if form.cleaned_data.get("owner") is not None:
                data["owner"] = form.cleaned_data["owner"]
            try:
                client = client_create(by=by, data=data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The client is added."))
                return redirect("client_detail", pk=client.pk)
        return self.render(request, form, status=400)


class ClientInnCheckView(RoleRequiredMixin, View):
    """htmx: the INN (and KPP) typed on the client form, looked up in the whole base by the service's own check."""

    template_name = "crm/clients/_inn_check.html"
    role_check = "works_prospects"
    role_denied = gettext_lazy("Your role does not add clients.")

    def get(self, request: AuthedHttpRequest) -> HttpResponse:
        inn = (request.GET.get("inn") or "").strip()[:INN_TYPED_MAX]
        kpp = (request.GET.get("kpp") or "").strip()[:INN_TYPED_MAX]
        context: dict[str, Any] = {"checked": False, "problems": [], "duplicate": [], "card": None}
        if not inn:
            return TemplateResponse(request, self.template_name, context)
        if len(inn) < INN_LENGTHS[0] or len(inn) == INN_LENGTHS[0] + 1:
            return TemplateResponse(request, self.template_name, context)  # still being typed
        try:
            validate_inn(inn)
            if kpp:
                validate_kpp(kpp)
        except ValidationError as exc:
            context["problems"] = exc.messages
            return TemplateResponse(request, self.template_name, context)
        exclude = or_none(parse_id, request.GET.get("client"))
        try:
            inn_check(inn=inn, kpp=kpp, exclude_pk=exclude)
        except ValidationError as exc:
            context["duplicate"] = exc.messages
            visible = Client.objects.visible_to(request.user).filter(inn=inn, kpp=kpp)
            if exclude is not None:
                visible = visible.exclude(pk=exclude)
            context["card"] = visible.values_list("pk", flat=True).first()
        else:
            context["checked"] = True
        return TemplateResponse(request, self.template_name, context)


class ContactUpdateView(LoginRequiredMixin, View):
    """Edit a contact person of a client the user may change (crm.services.clients.contact_update)."""

    template_name = "crm/clients/contact_form.html"

    def setup_contact(self, request: AuthedHttpRequest, pk: int) -> ContactPerson:
        contacts = ContactPerson.objects.visible_to(request.user).select_related("client")
        contact = get_object_or_404(contacts, pk=pk)
        if not can_change_contacts(request.user, contact.client):
            raise PermissionDenied(_("You may not change this client."))
        return contact

    def render(
        self, request: HttpRequest, contact: ContactPerson, form: ContactForm, status: int = 200
    ) -> HttpResponse:
        context = {"contact": contact, "client": contact.client, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        contact = self.setup_contact(request, pk)
        return self.render(request, contact, ContactUpdateForm(initial=ContactUpdateForm.initial_for(contact)))

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        contact = self.setup_contact(request, pk)
        form = ContactUpdateForm(request.POST)
        if form.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != REVISION}
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    contact_update(contact=contact, by=request.user, data=data)
            except StaleVersion as exc:
                mark_stale(form, exc.current)
                contact.refresh_from_db()
            except ValidationError as exc:
                contact.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The contact person is saved."))
                return redirect("client_detail", pk=contact.client_id)
        return self.render(request, contact, form, status=400)


class ContactDeleteView(ContactUpdateView):
    """Remove a contact person (POST from the card or his edit page); the change log keeps him."""

    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        contact = self.setup_contact(request, pk)
        client_id = contact.client_id
        contact_delete(contact=contact, by=request.user)
        messages.success(request, _("The contact person is removed."))
        return redirect("client_detail", pk=client_id)


class ClientActivityView(LoginRequiredMixin, View):
    """Log a call, meeting or e-mail on the client, or plan a task (crm.services.activities.activity_create)."""

    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        client = visible_client(request, pk)
        form = client_activity_form(request.user, client, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields: dict[str, Any] = {
                "kind": data["kind"],
                "client": client,
                "deal": data["deal"],
                "subject": data["subject"],
                "note": data["note"],
                "due_at": data["due_at"],
                "done_at": timezone.now() if data["done"] else None,
                "call_result": data["call_result"] if data["kind"] == "call" else "",
            }
            try:
                activity_create(by=request.user, data=fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The activity is saved."))
                return redirect("client_detail", pk=client.pk)
        return _card_with_errors(request, pk, activity_form=form, activity_form_open=True)
