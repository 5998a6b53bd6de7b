"""The VIP programme's part of /api/v1/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from vip.api.views.numbers import QuotasViewSet, StaffingViewSet
from vip.api.views.programme import (
    CampaignViewSet,
    OfferViewSet,
    ProgrammeViewSet,
    ReferralViewSet,
    TemplateViewSet,
)
from vip.api.views.vip import ProblemViewSet, QuestionnaireViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("vip/questionnaires", QuestionnaireViewSet, "vip-questionnaire"),
    ("vip/problems", ProblemViewSet, "vip-problem"),
    ("vip/programme", ProgrammeViewSet, "vip-programme"),
    ("vip/campaigns", CampaignViewSet, "vip-campaign"),
    ("vip/templates", TemplateViewSet, "vip-template"),
    ("vip/offers", OfferViewSet, "vip-offer"),
    ("vip/referrals", ReferralViewSet, "vip-referral"),
    ("vip/quotas", QuotasViewSet, "vip-quotas"),
    ("vip/staffing", StaffingViewSet, "vip-staffing"),
]
