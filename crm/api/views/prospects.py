"""Prospect lists, their entries (add, check, the warm base) and claiming an entry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.parsers import MultiPartParser
from crm.api.serializers.clients import ClientSerializer
from crm.api.serializers.prospects import (
    ProspectEntrySerializer,
    ProspectEntryWriteSerializer,
    ProspectListSerializer,
    ProspectListWriteSerializer,
)
from crm.filters import ProspectEntryFilterSet, ProspectListFilterSet
from crm.models import DepartmentSettings, ProspectEntry, ProspectList
from crm.selectors.prospects import prospect_lists_with_progress
from crm.services.prospects import (
    prospect_add_warm,
    prospect_claim,
    prospect_entries_import,
    prospect_entry_add,
    prospect_list_create,
    prospect_list_recheck,
    prospect_list_update,
)

from .base import ReadOnlyVisibleViewSet, ServiceWriteViewSet, write_schema


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField()
    strict = serializers.BooleanField(default=True)


@write_schema(ProspectListSerializer, ProspectListWriteSerializer)
class ProspectListViewSet(ServiceWriteViewSet):
    """A manager sees his lists (a team lead his team's); the base manager and the head see and build all."""

    model = ProspectList
    queryset = ProspectList.objects.none()
    serializer_class = ProspectListSerializer
    write_serializer_class = ProspectListWriteSerializer
    filterset_class = ProspectListFilterSet
    ordering_fields = ["id", "name", "created_at", "updated_at"]

    def optimise(self, queryset: QuerySet[ProspectList]) -> QuerySet[ProspectList]:
        return prospect_lists_with_progress(queryset)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["target"] = DepartmentSettings.current().prospect_list_size
        return context

    def perform_service_create(self, data: dict[str, Any]) -> ProspectList:
        return prospect_list_create(by=self.user, owner=data.get("owner"), name=data.get("name", ""))

    def perform_service_update(self, instance: ProspectList, data: dict[str, Any]) -> ProspectList:
        return prospect_list_update(prospect_list=instance, by=self.user, data=data)

    def entry_page(self, queryset: QuerySet[ProspectEntry]) -> Response:
        page = self.paginate_queryset(queryset)
        rows = ProspectEntrySerializer(page if page is not None else queryset, many=True).data
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    @extend_schema(request=ProspectEntryWriteSerializer, responses={200: ProspectEntrySerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def entries(self, request: Request, pk: str | None = None) -> Response:
        """GET: the list's entries with the check result; POST: add one company typed by hand."""
        prospect_list = self.get_object()
        if request.method == "GET":
            entries = prospect_list.entries.select_related("worked_by").order_by("name", "id")
            filterset = ProspectEntryFilterSet(request.query_params, queryset=entries, request=request)
            if not filterset.is_valid():
                return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
            return self.entry_page(filterset.qs)
        serializer = ProspectEntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = prospect_entry_add(prospect_list=prospect_list, by=self.user, data=serializer.validated_data)
        return Response(ProspectEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProspectListSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """Check every entry again against the whole base and the list itself."""
        prospect_list = self.get_object()
        prospect_list_recheck(prospect_list=prospect_list, by=self.user)
        return self.read(prospect_list)

    @extend_schema(request=None, responses={200: ProspectListSerializer})
    @action(detail=True, methods=["post"], url_path="add-warm")
    def add_warm(self, request: Request, pk: str | None = None) -> Response:
        """Add the owner's clients with no purchase for months and the clients that never bought."""
        prospect_list = self.get_object()
        added = prospect_add_warm(prospect_list=prospect_list, by=self.user, today=timezone.localdate())
        response = self.read(prospect_list)
        response.data["added"] = added
        return response

    @extend_schema(request={"multipart/form-data": ImportFileSerializer}, responses={200: None})
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request: Request, pk: str | None = None) -> Response:
        """Entries from a CSV/XLSX file; every bad row is reported; in strict mode a bad row writes nothing."""
        prospect_list = self.get_object()
        serializer = ImportFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = prospect_entries_import(
            prospect_list=prospect_list,
            by=self.user,
            file=serializer.validated_data["file"],
            strict=serializer.validated_data["strict"],
        )
        body = {"total": result.total, "added": result.added, "errors": result.errors}
        return Response(body, status=status.HTTP_400_BAD_REQUEST if result.errors and not result.added else 200)


class ProspectEntryViewSet(ReadOnlyVisibleViewSet):
    """Entries of the lists the user sees; `claim` turns a free one into the list owner's client."""

    model = ProspectEntry
    queryset = ProspectEntry.objects.none()
    serializer_class = ProspectEntrySerializer
    filterset_class = ProspectEntryFilterSet
    ordering_fields = ["id", "name", "updated_at"]

    def optimise(self, queryset: QuerySet[ProspectEntry]) -> QuerySet[ProspectEntry]:
        return queryset.select_related("worked_by")

    @extend_schema(request=None, responses={200: ClientSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        entry = self.get_object()
        client = prospect_claim(entry=entry, by=self.user, today=timezone.localdate())
        return Response(ClientSerializer(client).data)
