"""The VIP programme's pages."""

from django.urls import path

from vip.views import after, contacts, dashboard, problems, programme, questionnaires, review, templates, wallet

urlpatterns = [
    path("vip/", questionnaires.QuestionnaireListView.as_view(), name="vip_questionnaire_list"),
    path("vip/templates/", templates.TemplateListView.as_view(), name="vip_template_list"),
    path("vip/templates/<int:pk>/edit/", templates.TemplateEditView.as_view(), name="vip_template_edit"),
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
        "vip/questionnaires/<int:pk>/contacts/add/",
        contacts.ContactActionView.as_view(),
        {"action": "add"},
        name="vip_contact_add",
    ),
    path(
        "vip/questionnaires/<int:pk>/contacts/<int:contact_id>/<slug:action>/",
        contacts.ContactActionView.as_view(),
        name="vip_contact_action",
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
    path("vip/questionnaires/<int:pk>/wallet/", wallet.QuestionnaireWalletView.as_view(), name="vip_wallet_add"),
    path(
        "vip/questionnaires/<int:pk>/wallet/<int:category_id>/",
        wallet.QuestionnaireWalletView.as_view(),
        name="vip_wallet_record",
    ),
    path("vip/questionnaires/<int:pk>/offers/", after.OfferCreateView.as_view(), name="vip_offer_create"),
    path("vip/questionnaires/<int:pk>/referrals/", after.ReferralCreateView.as_view(), name="vip_referral_create"),
    path("vip/dashboard/", dashboard.DashboardView.as_view(), name="vip_dashboard"),
    path("vip/review/", review.ReviewView.as_view(), name="vip_review"),
    path("vip/review/print/", review.ReviewPrintView.as_view(), name="vip_review_print"),
    path("vip/problems/", problems.ProblemListView.as_view(), name="vip_problem_list"),
    path("vip/problems/<int:pk>/", problems.ProblemDetailView.as_view(), name="vip_problem_detail"),
    path(
        "vip/problems/<int:pk>/<slug:action>/",
        problems.ProblemActionView.as_view(),
        name="vip_problem_action",
    ),
    path("vip/programme/", programme.ProgrammeListView.as_view(), name="vip_programme"),
    path("vip/programme/build/", programme.ProgrammeBuildView.as_view(), name="vip_programme_build"),
    path("vip/programme/assign/", programme.ProgrammeAssignView.as_view(), name="vip_programme_assign"),
    path("vip/programme/<int:pk>/remove/", programme.ProgrammeRemoveView.as_view(), name="vip_programme_remove"),
    path("vip/programme/<int:pk>/call/", programme.MeetingCallView.as_view(), name="vip_meeting_call"),
    path("vip/my-list/", programme.MyListView.as_view(), name="vip_my_list"),
    path("vip/campaigns/", programme.CampaignListView.as_view(), name="vip_campaign_list"),
    path("vip/campaigns/<int:pk>/", programme.CampaignDetailView.as_view(), name="vip_campaign_detail"),
    path(
        "vip/campaigns/<int:pk>/staff/<int:assignment_id>/remove/",
        programme.CampaignStaffRemoveView.as_view(),
        name="vip_campaign_staff_remove",
    ),
    path("vip/call-script/", programme.CallScriptView.as_view(), name="vip_call_script"),
    path("vip/templates/<int:pk>/print/", programme.TemplatePrintView.as_view(), name="vip_template_print"),
    path("vip/confirm/<str:token>/", problems.ConfirmLinkView.as_view(), name="vip_confirm"),
]
