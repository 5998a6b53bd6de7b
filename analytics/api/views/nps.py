"""/api/v1/analytics/nps/: the NPS aggregates (GET), an answer typed in by an employee (POST, 400 with field
errors), and /answers/ (the latest answers); the same scope as the page (analytics/selectors/scope.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.permissions import SeesAnalytics
from analytics.api.serializers.nps import (
    NpsAnswerCreateSerializer,
    NpsAnswerRowSerializer,
    NpsAnswerSerializer,
    NpsReportSerializer,
)
from analytics.selectors.nps import nps_report, recent_answers
from analytics.selectors.scope import clients_in_scope
from analytics.services.nps import answer_type_in
from core.http import user_of
from core.params import parse_date
from crm.models import ContactPerson

PARAMETERS = [OpenApiParameter("as_of", OpenApiTypes.DATE, description="the window's last day; today by default")]


class NpsViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, SeesAnalytics]

    def as_of(self, request: Request):  # type: ignore[no-untyped-def]
        return parse_date(request.query_params.get("as_of"), field="as_of") or timezone.localdate()

    @extend_schema(parameters=PARAMETERS, responses=forced_singular_serializer(NpsReportSerializer))
    def list(self, request: Request) -> Response:
        report = nps_report(user=user_of(request), as_of=self.as_of(request))
        return Response(NpsReportSerializer(report).data)

    @extend_schema(parameters=PARAMETERS, responses=NpsAnswerRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def answers(self, request: Request) -> Response:
        rows = recent_answers(user=user_of(request), as_of=self.as_of(request))
        return Response(NpsAnswerRowSerializer(rows, many=True).data)

    @extend_schema(request=NpsAnswerCreateSerializer, responses={201: NpsAnswerSerializer})
    def create(self, request: Request) -> Response:
        user = user_of(request)
        incoming = NpsAnswerCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        client = clients_in_scope(user).filter(pk=data["client"]).first()
        if client is None:
            raise exceptions.ValidationError({"client": [_("No such client among yours.")]})
        contact = None
        if data.get("contact"):
            contact = ContactPerson.objects.filter(pk=data["contact"], client=client).first()
            if contact is None:
                raise exceptions.ValidationError({"contact": [_("The contact person works at another client.")]})
        answer = answer_type_in(
            by=user,
            client=client,
            contact=contact,
            score=data["score"],
            channel=data["channel"],
            comment=data.get("comment", ""),
            answered_on=data.get("answered_on"),
        )
        return Response(NpsAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
