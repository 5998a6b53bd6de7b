"""The VIP API's shapes for the programme's list, campaigns with their staff, templates, proposals and referrals."""

from __future__ import annotations

from rest_framework import serializers

from crm.api.serializers.fields import ChoiceOrNullField
from vip.api.serializers.vip import MAX_ID
from vip.models import (
    Campaign,
    ProgrammeClient,
    Question,
    QuestionnaireOffer,
    QuestionnaireTemplate,
    Referral,
    StaffAssignment,
)


class ProgrammeClientSerializer(serializers.ModelSerializer[ProgrammeClient]):
    class Meta:
        model = ProgrammeClient
        fields = [
            "id",
            "client",
            "tier",
            "added_by",
            "added_reason",
            "assigned_to",
            "assign_reason",
            "assign_note",
            "revenue_12m",
            "next_due",
            "tiered_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProgrammeClientCreateSerializer(serializers.Serializer[None]):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    tier = serializers.ChoiceField(choices=ProgrammeClient.Tier.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class StaffAssignmentSerializer(serializers.ModelSerializer[StaffAssignment]):
    class Meta:
        model = StaffAssignment
        fields = ["id", "campaign", "user", "load"]
        read_only_fields = fields


class StaffAssignmentWriteSerializer(serializers.Serializer[None]):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    load = serializers.ChoiceField(choices=StaffAssignment.Load.choices)


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    end = serializers.DateField(read_only=True)
    assignments = StaffAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "start", "weeks", "end", "assignments"]
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer[None]):
    name = serializers.CharField(max_length=200)
    start = serializers.DateField()
    weeks = serializers.IntegerField(min_value=1, max_value=52)


class QuestionSerializer(serializers.ModelSerializer[Question]):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null

    class Meta:
        model = Question
        fields = ["id", "section", "position", "text", "kind", "choices", "rule", "limit"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer[QuestionnaireTemplate]):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = QuestionnaireTemplate
        fields = ["id", "name", "version", "is_current", "created_at", "questions"]
        read_only_fields = fields


class OfferSerializer(serializers.ModelSerializer[QuestionnaireOffer]):
    deal_stage = serializers.CharField(source="deal.stage", read_only=True)
    deal_owner = serializers.IntegerField(source="deal.owner_id", read_only=True)

    class Meta:
        model = QuestionnaireOffer
        fields = ["id", "questionnaire", "deal", "deal_stage", "deal_owner", "kind", "product", "text", "created_by"]
        read_only_fields = fields


class OfferCreateSerializer(serializers.Serializer[None]):
    questionnaire = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=QuestionnaireOffer.Kind.choices)
    text = serializers.CharField(max_length=255)
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,  # type: ignore[arg-type]
    )


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    became_client = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "questionnaire",
            "referrer",
            "name",
            "inn",
            "phone",
            "contact",
            "assigned_to",
            "entry",
            "status",
            "became_client",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_became_client(self, referral: Referral) -> int | None:
        """The base client the referral is (matched, or claimed from the prospect list)."""
        return referral.entry.client_id if referral.entry else None


class ReferralCreateSerializer(serializers.Serializer[None]):
    questionnaire = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(max_length=255)
    inn = serializers.CharField(max_length=12, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=255, required=False, allow_blank=True)
    assigned_to = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
