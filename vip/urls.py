"""The VIP programme's pages."""

from django.urls import path

from vip.views import dashboard, problems, questionnaires

urlpatterns = [
    path("vip/", questionnaires.QuestionnaireListView.as_view(), name="vip_questionnaire_list"),
    path("vip/templates/standard/", questionnaires.TemplateStandardView.as_view(), name="vip_template_standard"),
    path("vip/questionnaires/new/", questionnaires.QuestionnaireCreateView.as_view(), name="vip_questionnaire_create"),
    path(
        "vip/questionnaires/<int:pk>/",
        questionnaires.QuestionnaireDetailView.as_view(),
        name="vip_questionnaire_detail",
    ),
    path(
        "vip/questionnaires/<int:pk>/answer/<int:question_id>/",
        questionnaires.QuestionnaireAnswerView.as_view(),
        name="vip_questionnaire_answer",
    ),
    path(
        "vip/questionnaires/<int:pk>/problems/<int:problem_id>/",
        questionnaires.QuestionnaireProblemView.as_view(),
        name="vip_questionnaire_problem",
    ),
    path(
        "vip/questionnaires/<int:pk>/resume/",
        questionnaires.QuestionnaireResumeView.as_view(),
        name="vip_questionnaire_resume",
    ),
    path(
        "vip/questionnaires/<int:pk>/complete/",
        questionnaires.QuestionnaireCompleteView.as_view(),
        name="vip_questionnaire_complete",
    ),
    path("vip/dashboard/", dashboard.DashboardView.as_view(), name="vip_dashboard"),
    path("vip/problems/", problems.ProblemListView.as_view(), name="vip_problem_list"),
    path("vip/problems/<int:pk>/", problems.ProblemDetailView.as_view(), name="vip_problem_detail"),
    path(
        "vip/problems/<int:pk>/<slug:action>/",
        problems.ProblemActionView.as_view(),
        name="vip_problem_action",
    ),
    path("vip/confirm/<str:token>/", problems.ConfirmLinkView.as_view(), name="vip_confirm"),
]
