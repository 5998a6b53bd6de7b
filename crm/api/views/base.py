"""What every CRM view shares: rows through `visible_to`, writes through a service, answers in the read shape."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.concurrency import editing_version, etag_of, parse_etag
from core.http import user_of
from crm.api.permissions import NoServiceWrites
from crm.models import User


def write_schema(read: type[BaseSerializer], write: type[BaseSerializer]) -> Any:
    """Document that writes take the write shape and answer with the read shape."""
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read}),
        update=extend_schema(request=write, responses={200: read}),
        partial_update=extend_schema(request=write, responses={200: read}),
    )


class VisibleViewSet(viewsets.GenericViewSet):
    """Rows the user may see (`Model.objects.visible_to(user)`), with the joins its list needs."""

    model: type[Model]
    permission_classes = [IsAuthenticated, NoServiceWrites]
    write_serializer_class: type[BaseSerializer] | None = None
    ordering_fields: list[str] = ["id", "updated_at"]

    @property
    def user(self) -> User:
        """The requesting user; every CRM view requires authentication."""
        return user_of(self.request)

    def get_queryset(self) -> QuerySet[Any]:
        return self.optimise(self.model.objects.visible_to(self.user))  # type: ignore[attr-defined]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()

    def read(self, obj: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """The object as the list shows it, read again through the view's queryset, with its `ETag` (revision)."""
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        serializer_class = cast(type[BaseSerializer], self.serializer_class)
        response = Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=status_code)
        if tag := etag_of(fresh):
            response["ETag"] = tag
        return response


class ReadOnlyVisibleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One object, with its revision as the `ETag` an update sends back as `If-Match`."""
        return self.read(self.get_object())


def if_match(request: Request) -> int | None:
    """The revision the update is based on, from `If-Match` (None without the header; 400 when unreadable)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    revision = parse_etag(header)
    if revision is None:
        raise ValidationError({"If-Match": [_('Send the ETag of the object as read, e.g. "3".')]})
    return revision


class ServiceWriteViewSet(ReadOnlyVisibleViewSet):
    """Create and update call `perform_service_create` / `perform_service_update` with the validated data."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_create(dict(serializer.validated_data))
        return self.read(obj, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Update through the service; with `If-Match`, a stale revision answers 412 and changes nothing."""
        revision = if_match(request)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        with editing_version(revision):
            obj = self.perform_service_update(instance, dict(serializer.validated_data))
        return self.read(obj)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def perform_service_create(self, data: dict[str, Any]) -> Model:
        raise MethodNotAllowed(self.request.method or "POST")

    def perform_service_update(self, instance: Any, data: dict[str, Any]) -> Model:
        raise MethodNotAllowed(self.request.method or "PATCH")
