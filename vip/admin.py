"""The Django admin for the VIP programme: the list, campaigns, staff and templates; the register read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vip.models import (
    Campaign,
    ContactCheck,
    Problem,
    ProblemEvent,
    ProgrammeClient,
    Question,
    QuestionnaireTemplate,
    StaffAssignment,
)


@admin.register(ProgrammeClient)
class ProgrammeClientAdmin(admin.ModelAdmin):
    list_display = ["client", "tier", "assigned_to", "assign_reason"]
    list_filter = ["tier", "assign_reason"]
    raw_id_fields = ["client", "added_by", "assigned_to"]
    search_fields = ["client__name"]


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "weeks"]
    inlines = [StaffAssignmentInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version some questionnaire was filled on is never changed (make a new version instead).
        return not (obj is not None and obj.is_used) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "is_current"]
    inlines = [QuestionInline]


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "channel", "by", "note", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read only: the register moves through its services (the pages), never by editing a row."""

    list_display = ["pk", "client", "status", "employee", "created_at"]
    list_filter = ["status"]
    inlines = [ProblemEventInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ContactCheck)
class ContactCheckAdmin(admin.ModelAdmin):
    """Read only: the key persons checked in the meetings (the changes themselves are in crm's change log)."""

    list_display = ["contact_name", "action", "questionnaire", "by", "at"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
