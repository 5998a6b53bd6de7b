"""The CRM's part of /api/v1/: its resources, `me`, the search, and JWT auth (access + refresh with rotation and
blacklist, a lockout after repeated failures, logout).

`ROUTES` are registered on the project's one router (salesdept/urls.py), beside the other apps' routes.
"""

from django.urls import path
from rest_framework.viewsets import ViewSetMixin

from crm.api import views
from crm.api.views import hunting
from crm.api.views.auth import LogoutView, TokenObtainView, TokenRefreshGraceView
from crm.api.views.imports import ImportJobViewSet
from crm.api.views.prospects import ProspectEntryViewSet, ProspectListViewSet
from crm.api.views.reassignments import ReassignmentViewSet
from crm.api.views.search import SearchView
from crm.api.views.stock import StockRequestViewSet
from crm.api.views.sync import SyncChangesView
from crm.api.views.webhooks import WebhookDeliveryViewSet, WebhookViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("clients", views.ClientViewSet, "client"),
    ("contacts", views.ContactViewSet, "contact"),
    ("segments", views.SegmentViewSet, "segment"),
    ("products", views.ProductViewSet, "product"),
    ("product-categories", views.ProductCategoryViewSet, "product-category"),
    ("brands", views.BrandViewSet, "brand"),
    ("deals", views.DealViewSet, "deal"),
    ("lost-reasons", views.LostReasonViewSet, "lost-reason"),
    ("stage-probabilities", views.StageProbabilityViewSet, "stage-probability"),
    ("activities", views.ActivityViewSet, "activity"),
    ("sales", views.SaleLineViewSet, "sale"),
    ("users", views.UserViewSet, "user"),
    ("teams", views.TeamViewSet, "team"),
    ("reassignments", ReassignmentViewSet, "reassignment"),
    ("prospect-lists", ProspectListViewSet, "prospect-list"),
    ("prospect-entries", ProspectEntryViewSet, "prospect-entry"),
    ("long-lists", hunting.LongListViewSet, "long-list"),
    ("long-list-entries", hunting.LongListEntryViewSet, "long-list-entry"),
    ("cold-call-norms", hunting.ColdCallNormViewSet, "cold-call-norm"),
    ("imports", ImportJobViewSet, "import"),
    ("stock-requests", StockRequestViewSet, "stock-request"),
    ("webhooks", WebhookViewSet, "webhook"),
    ("webhook-deliveries", WebhookDeliveryViewSet, "webhook-delivery"),
]

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token_obtain_pair"),
    path("auth/token/refresh/", TokenRefreshGraceView.as_view(), name="token_refresh"),
    path("auth/logout/", LogoutView.as_view(), name="token_logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("search/", SearchView.as_view(), name="api_search"),
    path("sync/changes/", SyncChangesView.as_view(), name="sync_changes"),
]
