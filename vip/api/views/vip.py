"""`/api/v1/vip/`: questionnaires (answers, pause/resume, complete) and the problem register (take, fixed, the
client's answer), with the pages' visibility (`visible_to`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.views.base import ReadOnlyVisibleViewSet
from crm.models import User
from vip.api.serializers.vip import (
    AnswerWriteSerializer,
    ConfirmSerializer,
    NoteSerializer,
    ProblemDetailsSerializer,
    ProblemSerializer,
    QuestionnaireCreateSerializer,
    QuestionnaireSerializer,
    ResumeSerializer,
)
from vip.models import Answer, Campaign, Problem, ProblemEvent, ProgrammeClient, Questionnaire
from vip.services.problems import problem_confirm, problem_details_set, problem_fixed, problem_take
from vip.services.questionnaires import (
    questionnaire_answer,
    questionnaire_complete,
    questionnaire_create,
    questionnaire_resume,
)

STATUS = OpenApiParameter("status", str, description="Filter by status.")


class QuestionnaireViewSet(ReadOnlyVisibleViewSet):
    """Questionnaires the user sees: the VIP head and the head all; staff and sellers their clients'."""

    model = Questionnaire
    queryset = Questionnaire.objects.none()
    serializer_class = QuestionnaireSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        status = self.request.query_params.get("status", "")
        if status in Questionnaire.Status.values:
            queryset = queryset.filter(status=status)
        return queryset.prefetch_related(Prefetch("answers", Answer.objects.order_by("question_id"))).order_by(
            "-meeting_date", "-id"
        )

    @extend_schema(parameters=[STATUS])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=QuestionnaireCreateSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request) -> Response:
        serializer = QuestionnaireCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = ProgrammeClient.objects.visible_to(self.user).select_related("client").filter(client_id=data["client"])
        client = entry.first()
        if client is None:
            raise ValidationError({"client": [_("The client is not on the programme's list.")]})
        campaign = None
        if data.get("campaign"):
            campaign = Campaign.objects.visible_to(self.user).filter(pk=data["campaign"]).first()
            if campaign is None:
                raise ValidationError({"campaign": [_("No such campaign.")]})
        employee = self.user
        if data.get("employee"):
            found = User.objects.filter(pk=data["employee"], is_active=True).first()
            if found is None:
                raise ValidationError({"employee": [_("No such employee.")]})
            employee = found
        questionnaire = questionnaire_create(
            client=client.client, by=self.user, employee=employee, campaign=campaign, meeting_date=data["meeting_date"]
        )
        return self.read(questionnaire, http.HTTP_201_CREATED)

    @extend_schema(request=AnswerWriteSerializer, responses={200: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Save one answer as typed (empty clears it); a failed quality answer pauses the questionnaire."""
        questionnaire = self.get_object()
        serializer = AnswerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = questionnaire.template.questions.filter(pk=serializer.validated_data["question"]).first()
        if question is None:
            raise ValidationError({"question": [_("The question is not on this questionnaire.")]})
        questionnaire_answer(
            questionnaire=questionnaire, question=question, raw=serializer.validated_data["value"], by=self.user
        )
        return self.read(questionnaire)

    @extend_schema(request=ResumeSerializer, responses={200: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        questionnaire = self.get_object()
        serializer = ResumeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        questionnaire_resume(
            questionnaire=questionnaire, by=self.user, meeting_date=serializer.validated_data.get("meeting_date")
        )
        return self.read(questionnaire)

    @extend_schema(request=None, responses={200: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        questionnaire = self.get_object()
        questionnaire_complete(questionnaire=questionnaire, by=self.user)
        return self.read(questionnaire)


class ProblemViewSet(ReadOnlyVisibleViewSet):
    """The problem register: the VIP head, the head and the service owner all; staff and sellers their clients'."""

    model = Problem
    queryset = Problem.objects.none()
    serializer_class = ProblemSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        status = self.request.query_params.get("status", "")
        if status in Problem.Status.values:
            queryset = queryset.filter(status=status)
        return queryset.prefetch_related(Prefetch("events", ProblemEvent.objects.order_by("at", "id"))).order_by(
            "-created_at", "-id"
        )

    @extend_schema(parameters=[STATUS])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProblemDetailsSerializer, responses={200: ProblemSerializer})
    @action(detail=True, methods=["post"])
    def details(self, request: Request, pk: str | None = None) -> Response:
        """The employee records the problem in full."""
        problem = self.get_object()
        serializer = ProblemDetailsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem_details_set(problem=problem, by=self.user, data=dict(serializer.validated_data))
        return self.read(problem)

    @extend_schema(request=NoteSerializer, responses={200: ProblemSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        """Service takes an open problem into work."""
        problem = self.get_object()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem_take(problem=problem, by=self.user, note=serializer.validated_data.get("note", ""))
        return self.read(problem)

    @extend_schema(request=NoteSerializer, responses={200: ProblemSerializer})
    @action(detail=True, methods=["post"])
    def fixed(self, request: Request, pk: str | None = None) -> Response:
        """Service marks the problem fixed; it stays open until the client confirms."""
        problem = self.get_object()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem_fixed(problem=problem, by=self.user, note=serializer.validated_data.get("note", ""))
        return self.read(problem)

    @extend_schema(request=ConfirmSerializer, responses={200: ProblemSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The client's answer from the call: `ok` true closes it, false reopens it with his `words`."""
        problem = self.get_object()
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem_confirm(
            problem=problem,
            ok=serializer.validated_data["ok"],
            words=serializer.validated_data.get("words", ""),
            by=self.user,
            channel=ProblemEvent.Channel.CALL,
        )
        return self.read(problem)
