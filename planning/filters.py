"""One FilterSet per planning list, shared by its page and its API list."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from core.params import parse_month
from crm.filters import IdFilter, SyncFilterSet
from planning.models import Plan


class PlanFilterSet(SyncFilterSet):
    """The month's plans (`month` as YYYY-MM) on the plans page and `GET /api/v1/plans/`."""

    manager = IdFilter(field_name="manager_id")
    month = filters.CharFilter(method="filter_month", label=_("Month, YYYY-MM"))
    status = filters.ChoiceFilter(choices=Plan.Status.choices)

    class Meta:
        model = Plan
        fields: list[str] = []

    def filter_month(self, queryset: QuerySet[Plan], name: str, value: str) -> QuerySet[Plan]:
        try:
            month = parse_month(value[:7])
        except DjangoValidationError as exc:
            raise ValidationError({"month": exc.messages}) from None
        return queryset.filter(month=month) if month else queryset
