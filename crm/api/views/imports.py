"""The import API: upload a file for a dry run, confirm it, and watch the job's progress."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from core.parsers import MultiPartParser
from crm.filters import MomentFilter
from crm.models import ImportJob, User
from crm.services.imports import import_run, import_validate
from crm.services.imports.recovery import imports_stale_fail


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text=_("Per cent done."))

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "encoding",
            "delimiter",
            "strict",
            "total_rows",
            "valid_rows",
            "processed_rows",
            "progress",
            "error_count",
            "errors",
            "created_count",
            "skipped_count",
            "message",
            "created_at",
            "started_at",
            "finished_at",
            "updated_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("CSV (UTF-8 or cp1251, `;` or `,`) or XLSX; the first row names the columns.")
    )
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    strict = serializers.BooleanField(
        default=True, help_text=_("Strict: any bad row stops the whole import and nothing is written.")
    )


class ImportJobFilterSet(django_filters.FilterSet):
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = ImportJob
        fields = ["kind", "status", "updated_since"]


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of clients and sales history: `POST` a file for a dry run, then `confirm` it."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()
    parser_classes = [MultiPartParser]  # `create` takes the file; `confirm` reads no body
    filterset_class = ImportJobFilterSet
    ordering_fields = ["created_at", "updated_at"]

    @property
    def user(self) -> User:
        """The requesting user: IsAuthenticated (the default permission) has already turned anonymous requests away."""
        return user_of(self.request)

    def get_queryset(self) -> QuerySet[ImportJob]:
        imports_stale_fail()  # a job whose worker died is failed and re-runnable, never "running" for ever
        return ImportJob.objects.visible_to(self.user)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportJobSerializer},
        summary="Upload a file and check it (dry run)",
    )
    def create(self, request: Request) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        job = import_validate(
            by=self.user,
            kind=upload.validated_data["kind"],
            uploaded_file=upload.validated_data["file"],
            strict=upload.validated_data["strict"],
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: ImportJobSerializer}, summary="Confirm a checked import")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        job = import_run(job=self.get_object(), by=self.user)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
