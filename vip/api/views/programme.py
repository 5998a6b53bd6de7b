"""`/api/v1/vip/`: the programme's list, campaigns and their staff, questionnaire templates, proposals and
referrals, with the pages' visibility (`visible_to`); writes through vip's services (their refusals answer 403,
their field errors 400)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from crm.api.views.base import ReadOnlyVisibleViewSet
from crm.models import Client, User
from vip.api.serializers.programme import (
    CampaignCreateSerializer,
    CampaignSerializer,
    OfferCreateSerializer,
    OfferSerializer,
    ProgrammeClientCreateSerializer,
    ProgrammeClientSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    StaffAssignmentSerializer,
    StaffAssignmentWriteSerializer,
    TemplateSerializer,
)
from vip.models import (
    Campaign,
    ProgrammeClient,
    Question,
    Questionnaire,
    QuestionnaireOffer,
    QuestionnaireTemplate,
    Referral,
    StaffAssignment,
)
from vip.services.after import offer_create, referral_add
from vip.services.programme import campaign_create, campaign_staff_set, programme_client_add, programme_client_remove
from vip.views.access import sees_questionnaires


class SeesQuestionnaires(BasePermission):
    message = gettext_lazy("The VIP questionnaires are for the VIP programme's people.")

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user.is_authenticated and sees_questionnaires(user_of(request)))


class ProgrammeViewSet(mixins.DestroyModelMixin, ReadOnlyVisibleViewSet):
    """The programme's list: the VIP head and the head all; staff their personal list; sellers their clients'
    entries. Only the VIP head adds and removes clients."""

    model = ProgrammeClient
    queryset = ProgrammeClient.objects.none()
    serializer_class = ProgrammeClientSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.order_by("client__name", "id")

    @extend_schema(request=ProgrammeClientCreateSerializer, responses={201: ProgrammeClientSerializer})
    def create(self, request: Request) -> Response:
        serializer = ProgrammeClientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        client = Client.objects.visible_to(self.user).filter(pk=data["client"]).first()
        if client is None:
            raise ValidationError({"client": [_("No such client.")]})
        entry = programme_client_add(
            client=client,
            by=self.user,
            tier=data.get("tier") or ProgrammeClient.Tier.YEARLY,
            reason=data.get("reason", ""),
        )
        return self.read(entry, http.HTTP_201_CREATED)

    def perform_destroy(self, instance: ProgrammeClient) -> None:
        programme_client_remove(entry=instance, by=self.user)


class CampaignViewSet(ReadOnlyVisibleViewSet):
    """Campaigns: the VIP head and the head all; staff those they are assigned to (with their own assignment)."""

    model = Campaign
    queryset = Campaign.objects.none()
    # Without `updated_at`: ordering by it would be a 500 (schemathesis found it).
    ordering_fields = ["id", "start", "created_at"]
    serializer_class = CampaignSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        assignments = StaffAssignment.objects.visible_to(self.user).order_by("user_id", "id")
        return queryset.prefetch_related(Prefetch("assignments", assignments)).order_by("-start", "-id")

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request: Request) -> Response:
        serializer = CampaignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_create(by=self.user, **serializer.validated_data)
        return self.read(campaign, http.HTTP_201_CREATED)

    @extend_schema(request=StaffAssignmentWriteSerializer, responses={200: StaffAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assignments(self, request: Request, pk: str | None = None) -> Response:
        """Give a person to the campaign, dedicated or part-time (or change his load): the VIP head."""
        campaign = self.get_object()
        serializer = StaffAssignmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = User.objects.filter(pk=serializer.validated_data["user"]).first()
        if user is None:
            raise ValidationError({"user": [_("No such employee.")]})
        assignment = campaign_staff_set(
            campaign=campaign, user=user, load=serializer.validated_data["load"], by=self.user
        )
        return Response(StaffAssignmentSerializer(assignment).data)


class TemplateViewSet(ReadOnlyVisibleViewSet):
    """Questionnaire templates with their questions: for everyone who sees questionnaires."""

    model = QuestionnaireTemplate
    queryset = QuestionnaireTemplate.objects.none()
    # Without `updated_at`: ordering by it would be a 500 (schemathesis found it).
    ordering_fields = ["id", "version", "created_at"]
    serializer_class = TemplateSerializer
    permission_classes = [IsAuthenticated, SeesQuestionnaires]

    def get_queryset(self) -> QuerySet[Any]:
        questions = Question.objects.order_by("position", "id")
        return QuestionnaireTemplate.objects.prefetch_related(Prefetch("questions", questions)).order_by(
            "name", "-version", "id"
        )


def _questionnaire(user: User, pk: int) -> Questionnaire:
    found = Questionnaire.objects.visible_to(user).select_related("client__owner", "employee").filter(pk=pk).first()
    if found is None:
        raise ValidationError({"questionnaire": [_("No such questionnaire.")]})
    return found


QUESTIONNAIRE = OpenApiParameter("questionnaire", int, description="Only this questionnaire's rows.")
CLIENT = OpenApiParameter("client", int, description="Only the referrals this client gave.")


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 2**63 - 1:
        raise ValidationError({name: [_("Enter a whole number.")]})
    return int(raw)


class OfferViewSet(ReadOnlyVisibleViewSet):
    """Proposals made from questionnaires (each a crm deal): whoever sees the questionnaire."""

    model = QuestionnaireOffer
    queryset = QuestionnaireOffer.objects.none()
    # Without `updated_at`: ordering by it would be a 500 (schemathesis found it).
    ordering_fields = ["id", "created_at"]
    serializer_class = OfferSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        questionnaire = _int_param(self.request, "questionnaire")
        if questionnaire is not None:
            queryset = queryset.filter(questionnaire_id=questionnaire)
        return queryset.select_related("deal").order_by("-id")

    @extend_schema(parameters=[QUESTIONNAIRE])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OfferCreateSerializer, responses={201: OfferSerializer})
    def create(self, request: Request) -> Response:
        serializer = OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questionnaire = _questionnaire(self.user, data.pop("questionnaire"))
        offer = offer_create(questionnaire=questionnaire, by=self.user, data=data)
        return self.read(offer, http.HTTP_201_CREATED)


class ReferralViewSet(ReadOnlyVisibleViewSet):
    """Referrals given in questionnaires, each a prospect-list entry: whoever sees the questionnaire, and the
    person it was given to."""

    model = Referral
    queryset = Referral.objects.none()
    # Without `updated_at`: ordering by it would be a 500 (schemathesis found it).
    ordering_fields = ["id", "created_at"]
    serializer_class = ReferralSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        for name, field in (("questionnaire", "questionnaire_id"), ("client", "referrer_id")):
            value = _int_param(self.request, name)
            if value is not None:
                queryset = queryset.filter(**{field: value})
        return queryset.select_related("entry").order_by("-created_at", "-id")

    @extend_schema(parameters=[QUESTIONNAIRE, CLIENT])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questionnaire = _questionnaire(self.user, data.pop("questionnaire"))
        assigned_to = None
        if data.get("assigned_to"):
            assigned_to = User.objects.filter(pk=data["assigned_to"]).first()
            if assigned_to is None:
                raise ValidationError({"assigned_to": [_("No such employee.")]})
        data.pop("assigned_to", None)
        referral = referral_add(questionnaire=questionnaire, by=self.user, data=data, assigned_to=assigned_to)
        return self.read(referral, http.HTTP_201_CREATED)
