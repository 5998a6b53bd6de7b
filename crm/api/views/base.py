"""What every CRM view shares: rows through `visible_to`, writes through a service, answers in the read shape."""

from __future__ import annotations

from typing import Any, TypeVar, cast
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, MethodNotAllowed, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.concurrency import editing_version, etag_of, parse_etag
from core.http import user_of
from crm.api.permissions import NoServiceWrites
from crm.models import User

M = TypeVar("M", bound=Model)


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


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _lazy("The request conflicts with the data on the server.")
    default_code = "conflict"


def uuid_conflict() -> Conflict:
    """A client UUID taken by a row the user does not see: refused without saying what the row is."""
    return Conflict(_("This UUID is already in use: generate a new one for the new object."), code="uuid_taken")


def sent_uuid(request: Request, field: str = "uuid") -> UUID | None:
    """The client UUID of a create, when the body has a readable one (a bad one is left to the serializer)."""
    data = request.data
    value = data.get(field) if hasattr(data, "get") else None
    if not isinstance(value, str):
        return None
    try:
        return UUID(value)
    except ValueError:
        return None


def created_before(model: type[M], uuid: UUID | None, visible: QuerySet[Any]) -> M | None:
    """The row a create with this client UUID made before, when the user sees it; 409 when another row has it."""
    if uuid is None or not any(field.name == "uuid" for field in model._meta.concrete_fields):
        return None
    existing = model._default_manager.filter(uuid=uuid).only("pk").first()
    if existing is None:
        return None
    if not visible.filter(pk=existing.pk).exists():
        raise uuid_conflict()
    return cast(M, visible.get(pk=existing.pk))


class ServiceWriteViewSet(ReadOnlyVisibleViewSet):
    """Create and update call `perform_service_create` / `perform_service_update` with the validated data.

    A create carrying a client `uuid` that is already taken answers the row made before (200, unchanged) when the user
    sees it, and 409 otherwise, so a create sent twice makes one row (docs/api.md, "Safe retries")."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        uuid = sent_uuid(request)
        if (existing := created_before(self.model, uuid, self.get_queryset())) is not None:
            return self.read(existing)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            obj = self.perform_service_create(dict(serializer.validated_data))
        except (IntegrityError, DjangoValidationError) as exc:
            # Two sends of one create at the same moment: the other one made the row.
            taken = isinstance(exc, IntegrityError) or "uuid" in getattr(exc, "error_dict", {})
            if taken and (existing := created_before(self.model, uuid, self.get_queryset())) is not None:
                return self.read(existing)
            raise
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
