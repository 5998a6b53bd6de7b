"""The head's reference lists ("Справочники"): loss reasons, market segments, product categories (list, add, edit,
deactivate, delete what nothing uses) and the stage probabilities (one form). Writes go through crm.services.lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.lists import CategoryForm, LostReasonForm, SegmentForm, StageProbabilitiesForm
from crm.forms.people import add_service_errors
from crm.models import LostReason, MarketSegment, ProductCategory, User
from crm.selectors.lists import categories_page, lost_reasons_page, segments_page
from crm.services.lists import (
    category_create,
    category_update,
    list_item_delete,
    list_item_set_active,
    lost_reason_create,
    lost_reason_update,
    segment_create,
    segment_update,
    stage_probabilities_current,
    stage_probabilities_set,
)


class HeadListsMixin(RoleRequiredMixin):
    """Anonymous visitors go to the login page; everyone but the head (and the admin) gets 403."""

    role_check = "is_head"
    role_denied = gettext_lazy("The reference lists are kept by the sales head.")


@dataclass(frozen=True)
class ListKind:
    """One reference list: its model, form, rows, services, template and the prefix of its URL names."""

    prefix: str
    model: type[Model]
    title: Promise
    new_title: Promise
    form_class: type[forms.Form]
    rows: Callable[[], QuerySet[Any]]
    create: Callable[..., Any]
    update: Callable[..., Any]
    fields: tuple[str, ...]
    template_name: str

    def url(self, action: str) -> str:
        return f"{self.prefix}_{action}"

    def form(self, data: Any = None, *, item: Model | None = None, initial: dict[str, Any] | None = None) -> Any:
        if self.form_class is CategoryForm:
            return CategoryForm(data, initial=initial, category=item)  # type: ignore[arg-type]
        return self.form_class(data, initial=initial)


def _create_reason(by: User, data: dict[str, Any]) -> LostReason:
    return lost_reason_create(by=by, **data)


def _update_reason(by: User, item: LostReason, data: dict[str, Any]) -> LostReason:
    return lost_reason_update(by=by, reason=item, data=data)


def _create_segment(by: User, data: dict[str, Any]) -> MarketSegment:
    return segment_create(by=by, **data)


def _update_segment(by: User, item: MarketSegment, data: dict[str, Any]) -> MarketSegment:
    return segment_update(by=by, segment=item, data=data)


def _create_category(by: User, data: dict[str, Any]) -> ProductCategory:
    return category_create(by=by, **data)


def _update_category(by: User, item: ProductCategory, data: dict[str, Any]) -> ProductCategory:
    return category_update(by=by, category=item, data=data)


LOST_REASONS = ListKind(
    prefix="lost_reason",
    model=LostReason,
    title=gettext_lazy("Loss reasons"),
    new_title=gettext_lazy("New loss reason"),
    form_class=LostReasonForm,
    rows=lost_reasons_page,
    create=_create_reason,
    update=_update_reason,
    fields=("name", "sort_order", "is_active"),
    template_name="crm/lists/lostreason_list.html",
)
SEGMENTS = ListKind(
    prefix="segment",
    model=MarketSegment,
    title=gettext_lazy("Market segments"),
    new_title=gettext_lazy("New market segment"),
    form_class=SegmentForm,
    rows=segments_page,
    create=_create_segment,
    update=_update_segment,
    fields=("name", "description", "is_active"),
    template_name="crm/lists/marketsegment_list.html",
)
CATEGORIES = ListKind(
    prefix="category",
    model=ProductCategory,
    title=gettext_lazy("Product categories"),
    new_title=gettext_lazy("New product category"),
    form_class=CategoryForm,
    rows=categories_page,
    create=_create_category,
    update=_update_category,
    fields=("name", "parent", "is_active"),
    template_name="crm/lists/productcategory_list.html",
)


class ListKindView(HeadListsMixin, View):
    kind: ClassVar[ListKind]
    form_template = "crm/lists/item_form.html"

    def item(self, pk: int) -> Any:
        return get_object_or_404(self.kind.model._default_manager.all(), pk=pk)

    def render_form(self, form: Any, item: Model | None = None, status: int = 200) -> HttpResponse:
        context = {"kind": self.kind, "form": form, "object": item}
        return TemplateResponse(self.request, self.form_template, context, status=status)


class ListItemsView(ListKindView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, self.kind.template_name, {"kind": self.kind, "rows": self.kind.rows()})


class ListItemCreateView(ListKindView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(self.kind.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.kind.form(request.POST)
        if form.is_valid():
            try:
                item = self.kind.create(self.user, dict(form.cleaned_data))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("“%(name)s” is added.") % {"name": item})
                return redirect(self.kind.url("list"))
        return self.render_form(form, status=400)


class ListItemUpdateView(ListKindView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(pk)
        initial = {name: getattr(item, name) for name in self.kind.fields}
        return self.render_form(self.kind.form(item=item, initial=initial), item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(pk)
        form = self.kind.form(request.POST, item=item)
        if form.is_valid():
            try:
                item = self.kind.update(self.user, item, dict(form.cleaned_data))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("“%(name)s” is saved.") % {"name": item})
                return redirect(self.kind.url("list"))
        return self.render_form(form, item, status=400)


class ListItemSetActiveView(ListKindView):
    """POST `is_active=1|0`: offer the entry again, or stop offering it (what uses it keeps it)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        is_active = request.POST.get("is_active") == "1"
        item = list_item_set_active(by=self.user, item=self.item(pk), is_active=is_active)
        if is_active:
            messages.success(request, _("“%(name)s” is active again.") % {"name": item})
        else:
            messages.success(request, _("“%(name)s” is deactivated.") % {"name": item})
        return redirect(self.kind.url("list"))


class ListItemDeleteView(ListKindView):
    """POST: delete an entry nothing uses; an entry in use is refused with what uses it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(pk)
        name = str(item)
        try:
            list_item_delete(by=self.user, item=item)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
        return redirect(self.kind.url("list"))


class StageProbabilitiesView(HeadListsMixin, View):
    """The win probability of each of the 14 stages, in one form."""

    template_name = "crm/lists/stageprobability_form.html"

    def render(self, form: StageProbabilitiesForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(StageProbabilitiesForm(initial=stage_probabilities_current()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StageProbabilitiesForm(request.POST)
        if form.is_valid():
            try:
                stage_probabilities_set(by=self.user, values=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The stage probabilities are saved."))
                return redirect("stage_probabilities")
        return self.render(form, status=400)


def views_of(kind: ListKind) -> dict[str, Callable[..., HttpResponseBase]]:
    """The five pages of a list, by action: list, create, update, active, delete."""
    classes: dict[str, type[ListKindView]] = {
        "list": ListItemsView,
        "create": ListItemCreateView,
        "update": ListItemUpdateView,
        "active": ListItemSetActiveView,
        "delete": ListItemDeleteView,
    }
    views: dict[str, Callable[..., HttpResponseBase]] = {}
    for action, cls in classes.items():
        bound = cast(type[ListKindView], type(f"{cls.__name__}_{kind.prefix}", (cls,), {"kind": kind}))
        views[action] = bound.as_view()
    return views
