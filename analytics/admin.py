from django.contrib import admin

from analytics.models import AnalyticsSettings


@admin.register(AnalyticsSettings)
class AnalyticsSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "abc_basis", "xyz_method", "nps_cadence_days"]
