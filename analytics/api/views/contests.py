"""GET /api/v1/analytics/contests/ (the user's contests), GET .../<id>/?as_of= (the board), POST (the head)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.permissions import SeesAnalytics
from analytics.api.serializers.contests import ContestBoardSerializer, ContestSerializer, ContestWriteSerializer
from analytics.selectors.contests import contest_list, contests_visible, leaderboard
from analytics.services.contests import contest_save
from core.http import user_of
from core.params import parse_date
from crm.models import User

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="the day of the board; today when left out")


class ContestViewSet(viewsets.ViewSet):
    permission_classes = [SeesAnalytics]

    def as_of(self, request: Request) -> date:
        return parse_date(request.query_params.get("as_of"), field="as_of") or timezone.localdate()

    @extend_schema(parameters=[AS_OF], responses=ContestSerializer(many=True))
    def list(self, request: Request) -> Response:
        as_of = self.as_of(request)
        rows = contest_list(user_of(request))
        return Response(ContestSerializer(rows, many=True, context={"as_of": as_of}).data)

    @extend_schema(parameters=[AS_OF], responses=ContestBoardSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        user = user_of(request)
        contest = get_object_or_404(contests_visible(user), pk=pk)
        board = leaderboard(contest=contest, as_of=self.as_of(request), viewer=user)
        return Response(ContestBoardSerializer(board).data)

    @extend_schema(request=ContestWriteSerializer, responses={201: ContestBoardSerializer})
    def create(self, request: Request) -> Response:
        user = user_of(request)
        serializer = ContestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = [item["user"] for item in data["participants"]]
        people = User.objects.in_bulk(ids)
        unknown = [pk for pk in ids if pk not in people]
        if unknown:
            raise ValidationError({"participants": [_("No such user: %s.") % ", ".join(map(str, unknown))]})
        entries = [
            (people[item["user"]], item["quota"] if item["quota"] is not None else data["default_quota"])
            for item in data["participants"]
        ]
        contest = contest_save(
            by=user,
            name=data["name"],
            metric=data["metric"],
            start=data["start"],
            end=data["end"],
            prizes=data["prizes"],
            entries=entries,
        )
        board = leaderboard(contest=contest, as_of=timezone.localdate(), viewer=user)
        return Response(ContestBoardSerializer(board).data, status=status.HTTP_201_CREATED)
