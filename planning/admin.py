from django.contrib import admin
from django.http import HttpRequest

from planning.models import (
    ComplementRule,
    FeaturedItem,
    KpiResult,
    PayKpi,
    PayScheme,
    PayThreshold,
    Plan,
    PlanLine,
    Tool2Item,
    Tool2Strike,
)


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 0
    raw_id_fields = ("client",)

    def has_change_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Plans are generated and approved by the services; here they are read only (an approved plan is frozen)."""

    list_display = ("manager", "month", "version", "status", "target", "regular_total", "active_gap", "approved_by")
    list_filter = ("status", "month")
    list_select_related = ("manager", "approved_by")
    inlines = [PlanLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False


@admin.register(ComplementRule)
class ComplementRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "complement")
    list_select_related = ("category", "complement")


@admin.register(FeaturedItem)
class FeaturedItemAdmin(admin.ModelAdmin):
    list_display = ("product", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    raw_id_fields = ("product",)
    list_select_related = ("product",)


@admin.register(Tool2Item)
class Tool2ItemAdmin(admin.ModelAdmin):
    """The lines managers added to their own Tool 2 (they keep them on the Tool 2 page)."""

    list_display = ("manager", "kind", "product", "text", "note", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("manager", "product")
    list_select_related = ("manager", "product")


@admin.register(Tool2Strike)
class Tool2StrikeAdmin(admin.ModelAdmin):
    list_display = ("manager", "item", "created_at")
    raw_id_fields = ("manager", "item")
    list_select_related = ("manager", "item__product")


class PayKpiInline(admin.TabularInline):
    model = PayKpi
    extra = 0


class PayThresholdInline(admin.TabularInline):
    model = PayThreshold
    extra = 0


@admin.register(PayScheme)
class PaySchemeAdmin(admin.ModelAdmin):
    list_display = ("role", "fixed", "soft")
    inlines = [PayKpiInline, PayThresholdInline]


@admin.register(KpiResult)
class KpiResultAdmin(admin.ModelAdmin):
    list_display = ("manager", "month", "kpi", "achieved")
    list_filter = ("month",)
    list_select_related = ("manager", "kpi")
