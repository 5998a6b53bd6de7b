"""One FilterSet per planning list, shared by its page and its API list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from core.calendar import parse_month
from crm.filters import SyncFilterSet
from planning.models import Plan


class PlanFilterSet(SyncFilterSet):
    """The month's plans (`month` as YYYY-MM) on the plans page and `GET /api/v1/plans/`."""

    manager = filters.NumberFilter(field_name="manager_id")
    month = filters.CharFilter(method="filter_month", label=_("Month, YYYY-MM"))
    status = filters.ChoiceFilter(choices=Plan.Status.choices)

    class Meta:
        model = Plan
        fields: list[str] = []

    def filter_month(self, queryset: QuerySet[Plan], name: str, value: str) -> QuerySet[Plan]:
        month = parse_month(value[:7])
        if month is None:
            raise ValidationError({"month": [_("Enter the month as YYYY-MM.")]})
        return queryset.filter(month=month)
