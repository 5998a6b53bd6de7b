"""The VIP API's shapes: questionnaires with their answers, problems with their history."""

from __future__ import annotations

from rest_framework import serializers

from vip.models import Answer, Problem, ProblemEvent, Questionnaire

MAX_ID = 2**63 - 1


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    value = serializers.CharField(source="display", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "value", "passed", "updated_at"]


class QuestionnaireSerializer(serializers.ModelSerializer[Questionnaire]):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "client",
            "employee",
            "campaign",
            "template",
            "meeting_date",
            "status",
            "paused_at_section",
            "paused_at",
            "resumed_at",
            "completed_at",
            "updated_at",
            "answers",
        ]
        read_only_fields = fields


class QuestionnaireCreateSerializer(serializers.Serializer[None]):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    meeting_date = serializers.DateField()
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)


class AnswerWriteSerializer(serializers.Serializer[None]):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    value = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=5000)


class ResumeSerializer(serializers.Serializer[None]):
    meeting_date = serializers.DateField(required=False, allow_null=True)


class ProblemEventSerializer(serializers.ModelSerializer[ProblemEvent]):
    class Meta:
        model = ProblemEvent
        fields = ["action", "channel", "by", "note", "at"]


class ProblemSerializer(serializers.ModelSerializer[Problem]):
    events = ProblemEventSerializer(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "client",
            "questionnaire",
            "question",
            "section",
            "employee",
            "what",
            "since",
            "impact",
            "witnesses",
            "contacts",
            "status",
            "reopened",
            "client_words",
            "fixed_at",
            "closed_at",
            "escalated_at",
            "created_at",
            "updated_at",
            "events",
        ]
        read_only_fields = fields


class ProblemDetailsSerializer(serializers.Serializer[None]):
    what = serializers.CharField(required=False, max_length=5000)
    since = serializers.CharField(required=False, allow_blank=True, max_length=200)
    impact = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    witnesses = serializers.CharField(required=False, allow_blank=True, max_length=500)
    contacts = serializers.CharField(required=False, allow_blank=True, max_length=500)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer[None]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ConfirmSerializer(serializers.Serializer[None]):
    ok = serializers.BooleanField()
    words = serializers.CharField(required=False, allow_blank=True, max_length=2000)
