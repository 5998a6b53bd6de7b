"""Long and short lists (the manager records each call's outcome) and cold-call norms (the head sets them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.api.permissions import HeadWritesNorms
from crm.api.serializers.hunting import (
    ColdCallNormSerializer,
    ColdCallNormWriteSerializer,
    LongListEntrySerializer,
    LongListEntryWriteSerializer,
    LongListSerializer,
)
from crm.filters import (
    ColdCallNormFilterSet,
    LongListEntryFilterSet,
    LongListFilterSet,
)
from crm.models import ColdCallNorm, LongList, LongListEntry, User
from crm.selectors.hunting import with_first_call_of_own_month
from crm.services.hunting import cold_call_norm_set, long_list_entry_update

from .base import ReadOnlyVisibleViewSet, ServiceWriteViewSet, write_schema


class LongListViewSet(ReadOnlyVisibleViewSet):
    """A manager's monthly long lists with their entries; managers see only their own."""

    model = LongList
    queryset = LongList.objects.none()
    serializer_class = LongListSerializer
    filterset_class = LongListFilterSet
    ordering_fields = ["month", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[LongList]) -> QuerySet[LongList]:
        entries = with_first_call_of_own_month(LongListEntry.objects.select_related("client")).order_by("rank", "id")
        return queryset.select_related("owner").prefetch_related(Prefetch("entries", queryset=entries, to_attr="rows"))


class LongListEntryViewSet(ServiceWriteViewSet):
    """The entries of the visible long lists; PATCH records interest, the short list and the potential."""

    model = LongListEntry
    queryset = LongListEntry.objects.none()
    serializer_class = LongListEntrySerializer
    write_serializer_class = LongListEntryWriteSerializer
    filterset_class = LongListEntryFilterSet
    ordering_fields = ["rank", "updated_at", "id"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[LongListEntry]:
        visible = LongListEntry.objects.filter(long_list__in=LongList.objects.visible_to(self.user))
        return with_first_call_of_own_month(visible.select_related("client"))

    def perform_service_update(self, instance: LongListEntry, data: dict[str, Any]) -> LongListEntry:
        return long_list_entry_update(entry=instance, by=self.user, data=data)


@write_schema(ColdCallNormSerializer, ColdCallNormWriteSerializer)
class ColdCallNormViewSet(ServiceWriteViewSet):
    """Daily cold-call norms: the head writes (POST sets or replaces a manager's norm); a manager reads his own."""

    model = ColdCallNorm
    queryset = ColdCallNorm.objects.none()
    serializer_class = ColdCallNormSerializer
    write_serializer_class = ColdCallNormWriteSerializer
    filterset_class = ColdCallNormFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        return [*super().get_permissions(), HeadWritesNorms()]

    def get_queryset(self) -> QuerySet[ColdCallNorm]:
        managers = User.objects.visible_to(self.user)
        return ColdCallNorm.objects.filter(manager__in=managers).select_related("manager").order_by("manager_id")

    def perform_service_create(self, data: dict[str, Any]) -> ColdCallNorm:
        return cold_call_norm_set(by=self.user, manager=data["manager"], daily_calls=data["daily_calls"])

    def perform_service_update(self, instance: ColdCallNorm, data: dict[str, Any]) -> ColdCallNorm:
        if data.get("manager", instance.manager) != instance.manager:
            raise ValidationError({"manager": [_("A norm stays with its manager; set the other manager's own.")]})
        return cold_call_norm_set(
            by=self.user, manager=instance.manager, daily_calls=data.get("daily_calls", instance.daily_calls)
        )
