"""Clients, their contact persons and the market segments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.permissions import HeadDeletes, NoServiceWrites
from crm.api.serializers import (
    ClientReassignSerializer,
    ClientSerializer,
    ClientWriteSerializer,
    ContactSerializer,
    ContactWriteSerializer,
)
from crm.filters import ClientFilterSet, ContactFilterSet
from crm.models import Client, ContactPerson
from crm.services.clients import (
    client_create,
    client_delete,
    client_reassign,
    client_update,
    contact_create,
    contact_update,
)

from .base import ServiceWriteViewSet, write_schema


@write_schema(ClientSerializer, ClientWriteSerializer)
class ClientViewSet(ServiceWriteViewSet):
    """Companies: a manager sees his own, a team lead his team's, the head, VIP head and base manager all."""

    model = Client
    queryset = Client.objects.none()
    serializer_class = ClientSerializer
    write_serializer_class = ClientWriteSerializer
    filterset_class = ClientFilterSet
    permission_classes = [IsAuthenticated, NoServiceWrites, HeadDeletes]
    ordering_fields = ["name", "updated_at", "created_at", "owned_since", "id"]

    def optimise(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        return queryset.select_related("owner", "segment")

    def perform_service_create(self, data: dict[str, Any]) -> Client:
        return client_create(by=self.user, data=data)

    def perform_service_update(self, instance: Client, data: dict[str, Any]) -> Client:
        return client_update(client=instance, by=self.user, data=data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client_delete(client=self.get_object(), by=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ClientReassignSerializer, responses={200: ClientSerializer})
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        """Give the client to another manager (the head's decision, with a reason)."""
        client = self.get_object()
        serializer = ClientReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = client_reassign(
            client=client,
            to_owner=serializer.validated_data["owner"],
            by=self.user,
            reason=serializer.validated_data["reason"],
        )
        return self.read(client)


@write_schema(ContactSerializer, ContactWriteSerializer)
class ContactViewSet(ServiceWriteViewSet):
    """Key persons of the clients the user sees."""

    model = ContactPerson
    queryset = ContactPerson.objects.none()
    serializer_class = ContactSerializer
    write_serializer_class = ContactWriteSerializer
    filterset_class = ContactFilterSet
    ordering_fields = ["full_name", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[ContactPerson]) -> QuerySet[ContactPerson]:
        return queryset.select_related("client")

    def perform_service_create(self, data: dict[str, Any]) -> ContactPerson:
        client = data.pop("client")
        return contact_create(by=self.user, client=client, data=data)

    def perform_service_update(self, instance: ContactPerson, data: dict[str, Any]) -> ContactPerson:
        return contact_update(contact=instance, by=self.user, data=data)
