"""One FilterSet per list, shared by the pages and the API. Every list filters by `updated_since` for mobile sync."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.params import SYNC_MIN_YEAR, parse_datetime_with_offset, parse_id
from crm.models import (
    Activity,
    Brand,
    Client,
    ColdCallNorm,
    ContactPerson,
    Deal,
    LongList,
    LongListEntry,
    LostReason,
    MarketSegment,
    Product,
    ProductCategory,
    ProspectEntry,
    ProspectList,
    Reassignment,
    Role,
    SaleLine,
    StockRequest,
    Team,
    User,
)
from crm.models.validators import phone_digits
from crm.rules.stages import Stage

DECIDED = "decided"  # the queue's tab of decided flags
DECIDED_STATUSES = (Reassignment.Status.REASSIGNED, Reassignment.Status.RESOLVED)

TRUE_VALUES = ("true", "1", "yes")
FALSE_VALUES = ("false", "0", "no")


class StrictBooleanField(forms.Field):
    """`true`/`false` (or 1/0); anything else is an error rather than silently no filter."""

    widget = forms.TextInput

    def to_python(self, value: object) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class IdField(forms.Field):
    """A row id (ASCII digits, core/params.py `parse_id`): `²` or `1e400` is an error, not a 500."""

    widget = forms.TextInput

    def to_python(self, value: object) -> int | None:
        try:
            return parse_id(value, field="id")
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid") from None


class MomentField(forms.Field):
    """ISO 8601 with an offset (required: `Z` or `+03:00`) PostgreSQL can hold, from 1970 (core/params.py)."""

    widget = forms.TextInput

    def to_python(self, value: object) -> datetime | None:
        try:
            return parse_datetime_with_offset(value, field="moment", min_year=SYNC_MIN_YEAR, require_offset=True)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid") from None


@extend_schema_field(OpenApiTypes.INT64)  # an integer parameter, not `number`, for typed clients
class IdFilter(filters.NumberFilter):
    field_class = IdField


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class SyncFilterSet(filters.FilterSet):
    """Rows changed at or after `updated_since` (ISO 8601), for incremental sync."""

    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")


class ClientFilterSet(SyncFilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Name, INN or phone"))
    owner = IdFilter(field_name="owner_id")
    segment = IdFilter(field_name="segment_id")
    status = filters.ChoiceFilter(choices=Client.Status.choices)
    category = filters.ChoiceFilter(choices=Client.Category.choices)
    source = filters.ChoiceFilter(choices=Client.Source.choices)
    channel = filters.ChoiceFilter(choices=Client.Channel.choices)
    region = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Client
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        """Name contains the term, INN starts with it, or a phone contains its digits (8... read as +7...)."""
        term = value.strip()
        if not term:
            return queryset
        condition = Q(name__icontains=term) | Q(inn__startswith=term)
        digits = phone_digits(term)
        if len(digits) >= 3:
            condition |= Q(phone__contains=digits) | Q(phone_extra__contains=digits)
        return queryset.filter(condition)


class ContactFilterSet(SyncFilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Name or phone"))
    client = IdFilter(field_name="client_id")
    decision_role = filters.ChoiceFilter(choices=ContactPerson.DecisionRole.choices)

    class Meta:
        model = ContactPerson
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[ContactPerson], name: str, value: str) -> QuerySet[ContactPerson]:
        term = value.strip()
        if not term:
            return queryset
        condition = Q(full_name__icontains=term)
        digits = phone_digits(term)
        if len(digits) >= 3:
            condition |= Q(phone__contains=digits) | Q(mobile__contains=digits)
        return queryset.filter(condition)


class ProductFilterSet(SyncFilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Name or SKU"))
    category = IdFilter(field_name="category_id")
    brand = IdFilter(field_name="brand_id")
    is_active = StrictBooleanFilter()

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        term = value.strip()
        return queryset.filter(Q(name__icontains=term) | Q(sku__istartswith=term)) if term else queryset


class ProductCategoryFilterSet(SyncFilterSet):
    parent = IdFilter(field_name="parent_id")
    is_active = StrictBooleanFilter()

    class Meta:
        model = ProductCategory
        fields: list[str] = []


class BrandFilterSet(SyncFilterSet):
    class Meta:
        model = Brand
        fields: list[str] = []


class SegmentFilterSet(SyncFilterSet):
    is_active = StrictBooleanFilter()

    class Meta:
        model = MarketSegment
        fields: list[str] = []


class LostReasonFilterSet(SyncFilterSet):
    is_active = StrictBooleanFilter()

    class Meta:
        model = LostReason
        fields: list[str] = []


class DealFilterSet(SyncFilterSet):
    """The board and `GET /api/v1/deals/`: `manager` is the board's word for `owner`."""

    q = filters.CharFilter(method="filter_q", label=_("Deal or client name"))
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)
    owner = IdFilter(field_name="owner_id")
    manager = IdFilter(field_name="owner_id", label=_("Manager"))
    segment = IdFilter(field_name="client__segment_id")
    client = IdFilter(field_name="client_id")
    team = IdFilter(field_name="owner__team_id")
    no_open_task = StrictBooleanFilter(method="filter_no_open_task", label=_("Open deals without a next task"))
    overdue_task = StrictBooleanFilter(method="filter_overdue_task", label=_("Open deals with an overdue task"))

    class Meta:
        model = Deal
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        term = value.strip()
        return queryset.filter(Q(title__icontains=term) | Q(client__name__icontains=term)) if term else queryset

    def filter_no_open_task(self, queryset: QuerySet[Deal], name: str, value: bool | None) -> QuerySet[Deal]:
        return queryset.without_open_task(timezone.now()) if value else queryset  # type: ignore[attr-defined]

    def filter_overdue_task(self, queryset: QuerySet[Deal], name: str, value: bool | None) -> QuerySet[Deal]:
        return queryset.with_overdue_task(timezone.now()) if value else queryset  # type: ignore[attr-defined]


class ActivityFilterSet(SyncFilterSet):
    kind = filters.ChoiceFilter(choices=Activity.Kind.choices)
    client = IdFilter(field_name="client_id")
    deal = IdFilter(field_name="deal_id")
    owner = IdFilter(field_name="owner_id")
    done = StrictBooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    due_before = MomentFilter(field_name="due_at", lookup_expr="lt")
    due_after = MomentFilter(field_name="due_at", lookup_expr="gte")

    class Meta:
        model = Activity
        fields: list[str] = []


class SaleLineFilterSet(SyncFilterSet):
    client = IdFilter(field_name="client_id")
    manager = IdFilter(field_name="manager_id")
    product = IdFilter(field_name="product_id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    is_paid = StrictBooleanFilter()

    class Meta:
        model = SaleLine
        fields: list[str] = []


class UserFilterSet(SyncFilterSet):
    """The users page and `GET /api/v1/users/`: `active` is the page's word for `is_active`."""

    q = filters.CharFilter(method="filter_q", label=_("Name, login or e-mail"))
    role = filters.ChoiceFilter(choices=Role.choices)
    team = IdFilter(field_name="team_id")
    is_active = StrictBooleanFilter()
    active = StrictBooleanFilter(field_name="is_active")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        term = value.strip()
        if not term:
            return queryset
        return queryset.filter(
            Q(username__icontains=term)
            | Q(last_name__icontains=term)
            | Q(first_name__icontains=term)
            | Q(email__icontains=term)
        )


class TeamFilterSet(SyncFilterSet):
    class Meta:
        model = Team
        fields: list[str] = []


class ProspectListFilterSet(SyncFilterSet):
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = ProspectList
        fields: list[str] = []


class ProspectEntryFilterSet(SyncFilterSet):
    prospect_list = IdFilter(field_name="prospect_list_id")
    check_result = filters.ChoiceFilter(choices=ProspectEntry.Check.choices)

    class Meta:
        model = ProspectEntry
        fields: list[str] = []


class LongListFilterSet(SyncFilterSet):
    owner = IdFilter(field_name="owner_id")
    month = filters.DateFilter(field_name="month")

    class Meta:
        model = LongList
        fields: list[str] = []


class LongListEntryFilterSet(SyncFilterSet):
    long_list = IdFilter(field_name="long_list_id")
    short_listed = StrictBooleanFilter()
    not_worth = StrictBooleanFilter()

    class Meta:
        model = LongListEntry
        fields: list[str] = []


class ColdCallNormFilterSet(SyncFilterSet):
    manager = IdFilter(field_name="manager_id")

    class Meta:
        model = ColdCallNorm
        fields: list[str] = []


class ReassignmentFilterSet(SyncFilterSet):
    status = filters.ChoiceFilter(
        choices=[*Reassignment.Status.choices, (DECIDED, _("History of decisions"))],
        method="filter_status",
        label=_("Status"),
    )
    owner = IdFilter(field_name="owner_id", label=_("Manager"))
    client = IdFilter(field_name="client_id", label=_("Client"))

    class Meta:
        model = Reassignment
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Reassignment], name: str, value: str) -> QuerySet[Reassignment]:
        """One status, or `decided`: every flag the head (or the nightly) has decided."""
        if value == DECIDED:
            return queryset.filter(status__in=DECIDED_STATUSES)
        return queryset.filter(status=value)


class StockRequestFilterSet(SyncFilterSet):
    """The stock requests page, its Excel and `GET /api/v1/stock-requests/`: `manager` is the client's owner;
    `category` also finds the requests for products of that category; the period is the day it was recorded."""

    status = filters.ChoiceFilter(choices=StockRequest.Status.choices, label=_("Status"))
    manager = IdFilter(field_name="client__owner_id", label=_("Manager"))
    client = IdFilter(field_name="client_id", label=_("Client"))
    product = IdFilter(field_name="product_id", label=_("Product"))
    category = IdFilter(method="filter_category", label=_("Category"))
    created_from = filters.DateFilter(field_name="created_at__date", lookup_expr="gte", label=_("Recorded since"))
    created_to = filters.DateFilter(field_name="created_at__date", lookup_expr="lte", label=_("Recorded until"))

    class Meta:
        model = StockRequest
        fields: list[str] = []

    def filter_category(self, queryset: QuerySet[StockRequest], name: str, value: int) -> QuerySet[StockRequest]:
        return queryset.filter(Q(category_id=value) | Q(product__category_id=value))
