from django.contrib import admin

from analytics.models import AnalyticsSettings, Contest, ContestParticipant


@admin.register(AnalyticsSettings)
class AnalyticsSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "abc_basis", "xyz_method", "nps_cadence_days"]


class ContestParticipantInline(admin.TabularInline):
    model = ContestParticipant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["name", "metric", "start", "end", "results_sent_at"]
    list_filter = ["metric"]
    inlines = [ContestParticipantInline]
