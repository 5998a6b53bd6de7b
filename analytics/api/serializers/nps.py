"""Shapes of /api/v1/analytics/nps/: the aggregates, the answers, an answer typed in by an employee."""

from __future__ import annotations

from rest_framework import serializers

from analytics.models import NpsAnswer


class CountsSerializer(serializers.Serializer):
    answers = serializers.IntegerField()
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    promoters_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    detractors_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class NpsGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key", allow_null=True)
    name = serializers.CharField()
    counts = CountsSerializer()
    nps = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    band = serializers.CharField(allow_null=True)
    weighted_nps = serializers.DecimalField(source="weighted", max_digits=5, decimal_places=1, allow_null=True)
    invitations_sent = serializers.IntegerField(source="sent")
    invitations_answered = serializers.IntegerField(source="answered")
    response_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    answered_revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    revenue_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class NpsReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    start = serializers.DateField()
    formula = serializers.SerializerMethodField()
    total = NpsGroupSerializer()
    managers = NpsGroupSerializer(many=True)
    segments = NpsGroupSerializer(many=True)
    clients = NpsGroupSerializer(many=True)

    def get_formula(self, report: object) -> str:
        return "NPS = % promoters (9-10) - % detractors (0-6)"


class NpsAnswerRowSerializer(serializers.Serializer):
    answered_on = serializers.DateField()
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client")
    contact = serializers.CharField()
    score = serializers.IntegerField()
    comment = serializers.CharField()
    channel = serializers.CharField()
    recorded_by = serializers.CharField()


class NpsAnswerCreateSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    contact = serializers.IntegerField(required=False, allow_null=True)
    score = serializers.IntegerField(min_value=0, max_value=10)
    channel = serializers.ChoiceField(choices=[NpsAnswer.Channel.OFFICE, NpsAnswer.Channel.PHONE])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    answered_on = serializers.DateField(required=False, allow_null=True)


class NpsAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = NpsAnswer
        fields = ["id", "client", "contact", "score", "comment", "channel", "answered_at", "recorded_by", "task"]
