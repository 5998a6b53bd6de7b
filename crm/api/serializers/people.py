"""Users and teams."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.models import (
    Role,
    Team,
    User,
)

from .fields import name_of


class TeamSerializer(serializers.ModelSerializer):
    lead_name = name_of("lead")

    class Meta:
        model = Team
        fields = ["id", "name", "lead", "lead_name", "created_at", "updated_at"]


class TeamWriteSerializer(serializers.ModelSerializer):
    lead = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )

    class Meta:
        model = Team
        fields = ["name", "lead"]
        validators: list[Any] = []
        extra_kwargs: dict[str, dict[str, Any]] = {"name": {"validators": []}}


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    team_name = name_of("team")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "middle_name",
            "full_name",
            "email",
            "phone",
            "role",
            "role_display",
            "team",
            "team_name",
            "is_active",
            "last_login",
            "updated_at",
        ]
        # Django's username validator is a Python regex whose \w takes any letter; the schema's pattern would be
        # ECMA-262's ASCII-only \w and call "è" invalid. This serializer only reads; writes validate in the service.
        extra_kwargs: dict[str, dict[str, Any]] = {"username": {"validators": []}}


class UserWriteSerializer(serializers.ModelSerializer):
    """Create needs a username, a password and a role; an update changes the rest (never the password)."""

    password = serializers.CharField(write_only=True, style={"input_type": "password"}, trim_whitespace=False)
    role = serializers.ChoiceField(choices=Role.choices)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "password", "role", "first_name", "last_name", "middle_name", "email", "phone", "team"]
        extra_kwargs: dict[str, dict[str, Any]] = {"username": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("username")
            self.fields.pop("password")
            self.fields["is_active"] = serializers.BooleanField(required=False)
