"""Users and teams (managed by the head and the administrator), and `me`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.permissions import PeopleManagerWrites
from crm.api.serializers import TeamSerializer, TeamWriteSerializer, UserSerializer, UserWriteSerializer
from crm.filters import TeamFilterSet, UserFilterSet
from crm.models import Team, User
from crm.services.people import team_create, team_update, user_create, user_set_active, user_update

from .base import ServiceWriteViewSet, write_schema


@write_schema(UserSerializer, UserWriteSerializer)
class UserViewSet(ServiceWriteViewSet):
    """The head and the administrator see and manage everyone; a team lead sees the team; others themselves."""

    model = User
    queryset = User.objects.none()
    serializer_class = UserSerializer
    write_serializer_class = UserWriteSerializer
    filterset_class = UserFilterSet
    permission_classes = [IsAuthenticated, PeopleManagerWrites]
    ordering_fields = ["last_name", "username", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[User]) -> QuerySet[User]:
        return queryset.select_related("team")

    def perform_service_create(self, data: dict[str, Any]) -> User:
        return user_create(by=self.user, **data)

    def perform_service_update(self, instance: User, data: dict[str, Any]) -> User:
        return user_update(by=self.user, user=instance, data=data)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        """The user can no longer log in; their clients, deals and history stay."""
        return self.read(user_set_active(by=self.user, user=self.get_object(), is_active=False))

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        return self.read(user_set_active(by=self.user, user=self.get_object(), is_active=True))


@write_schema(TeamSerializer, TeamWriteSerializer)
class TeamViewSet(ServiceWriteViewSet):
    model = Team
    queryset = Team.objects.none()
    serializer_class = TeamSerializer
    write_serializer_class = TeamWriteSerializer
    filterset_class = TeamFilterSet
    permission_classes = [IsAuthenticated, PeopleManagerWrites]
    ordering_fields = ["name", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Team]) -> QuerySet[Team]:
        return queryset.select_related("lead")

    def perform_service_create(self, data: dict[str, Any]) -> Team:
        return team_create(by=self.user, name=data["name"], lead=data.get("lead"))

    def perform_service_update(self, instance: Team, data: dict[str, Any]) -> Team:
        return team_update(by=self.user, team=instance, data=data)


class MeView(APIView):
    """The user the token or session belongs to, with role and team."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        user = User.objects.select_related("team").get(pk=request.user.pk)
        return Response(UserSerializer(user, context={"request": request}).data)
