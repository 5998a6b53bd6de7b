"""Contests in the API: the list, the board, the head's new contest."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from analytics.models import Contest
from analytics.rules.contests import Metric


class ContestSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    participant_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Contest
        fields = ["id", "name", "metric", "start", "end", "prizes", "status", "participant_count", "results_sent_at"]

    def get_status(self, contest: Contest) -> str:
        return str(contest.status_on(self.context["as_of"]).value)


class BoardRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    user = serializers.IntegerField(source="user.pk")
    name = serializers.SerializerMethodField()
    achieved = serializers.DecimalField(max_digits=14, decimal_places=2)
    quota = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    quota_from_plan = serializers.BooleanField()
    percent = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    is_me = serializers.BooleanField()

    def get_name(self, row: Any) -> str:
        return str(row.user)


class ContestBoardSerializer(serializers.Serializer):
    contest = serializers.SerializerMethodField()
    as_of = serializers.DateField()
    counted_to = serializers.DateField()
    status = serializers.CharField()
    formula = serializers.SerializerMethodField()
    rows = BoardRowSerializer(many=True)

    def get_contest(self, board: Any) -> dict[str, Any]:
        data = dict(ContestSerializer(board.contest, context={"as_of": board.as_of}).data)
        data["participant_count"] = board.sample
        return data

    def get_formula(self, board: Any) -> str:
        return "percent = achieved / quota x 100; ties: achieved desc, then name; no quota ranks last"


class EntryInSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1)
    quota = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class ContestWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    metric = serializers.ChoiceField(choices=Metric.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    prizes = serializers.CharField(required=False, allow_blank=True, default="")
    default_quota = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    participants = EntryInSerializer(many=True)
