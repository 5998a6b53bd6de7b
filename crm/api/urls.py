"""/api/v1/: the CRM resources, `me`, and JWT auth (access + refresh with rotation and blacklist)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from crm.api import views
from crm.api.imports import ImportJobViewSet
from crm.api.views import hunting
from crm.api.views.prospects import ProspectEntryViewSet, ProspectListViewSet
from crm.api.views.reassignments import ReassignmentViewSet
from planning.api import views_work as plan_work
from planning.api.views_pay import PaySchemeViewSet, PayViewSet
from planning.api.views_plans import PlanViewSet

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("products", views.ProductViewSet, basename="product")
router.register("product-categories", views.ProductCategoryViewSet, basename="product-category")
router.register("brands", views.BrandViewSet, basename="brand")
router.register("deals", views.DealViewSet, basename="deal")
router.register("lost-reasons", views.LostReasonViewSet, basename="lost-reason")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("sales", views.SaleLineViewSet, basename="sale")
router.register("users", views.UserViewSet, basename="user")
router.register("teams", views.TeamViewSet, basename="team")
router.register("reassignments", ReassignmentViewSet, basename="reassignment")
router.register("prospect-lists", ProspectListViewSet, basename="prospect-list")
router.register("prospect-entries", ProspectEntryViewSet, basename="prospect-entry")
router.register("long-lists", hunting.LongListViewSet, basename="long-list")
router.register("long-list-entries", hunting.LongListEntryViewSet, basename="long-list-entry")
router.register("cold-call-norms", hunting.ColdCallNormViewSet, basename="cold-call-norm")
router.register("plan-fact", plan_work.PlanFactViewSet, basename="plan-fact")
router.register("cross-sell", plan_work.CrossSellViewSet, basename="cross-sell")
router.register("plans", PlanViewSet, basename="plan")
router.register("pay", PayViewSet, basename="pay")
router.register("pay-schemes", PaySchemeViewSet, basename="pay-scheme")

# --- imports: the import view set lives in crm/api/imports.py, with the importing code --------------------------
router.register("imports", ImportJobViewSet, basename="import")
# ---------------------------------------------------------------------------------------------------------------

urlpatterns = [
    path("auth/token/", TokenObtainPairView.as_view(), name="token_obtain_pair"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("me/", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
