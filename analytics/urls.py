"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views import nps

urlpatterns: list[URLPattern] = [
    path("analytics/nps/", nps.NpsPageView.as_view(), name="analytics_nps"),
    path("analytics/nps/export/", nps.NpsExportView.as_view(), name="analytics_nps_export"),
    path("analytics/nps/answer/", nps.NpsAnswerView.as_view(), name="analytics_nps_answer"),
    path("analytics/nps/survey/", nps.NpsSurveyStartView.as_view(), name="analytics_nps_survey"),
    # The contact's page behind the survey's e-mail link: outside login.
    path("nps/<str:token>/", nps.NpsPublicView.as_view(), name="nps_public"),
]
