from typing import Any

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from analytics.api.urls import ROUTES as ANALYTICS_ROUTES
from crm.api.urls import ROUTES as CRM_ROUTES
from crm.api.urls import urlpatterns as crm_api_urls
from planning.api.urls import ROUTES as PLANNING_ROUTES
from salesdept.errors import FaviconView
from salesdept.views import NightlyRunListView
from vip.api.urls import ROUTES as VIP_ROUTES


class Router(DefaultRouter):
    """Row ids in the URL are numbers: `deals/abc/` or `prospect-entries/abc/claim/` is 404 before any view runs."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", "[0-9]{1,19}")
        return f"(?P<{lookup_prefix}{kwarg}>{value})"


# One router for /api/v1/, so that its root lists every app's resources.
router = Router()
for prefix, viewset, basename in [*CRM_ROUTES, *PLANNING_ROUTES, *VIP_ROUTES, *ANALYTICS_ROUTES]:
    router.register(prefix, viewset, basename=basename)

# Our own error pages in the site's frame, and JSON for the same errors under /api/.
handler403 = "salesdept.errors.permission_denied"
handler404 = "salesdept.errors.page_not_found"
handler500 = "salesdept.errors.server_error"

urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include([*crm_api_urls, path("", include(router.urls))])),
    path("nightly/", NightlyRunListView.as_view(), name="nightly_runs"),
    path("", include("crm.urls")),
    path("", include("planning.urls")),
    path("", include("vip.urls")),
    path("", include("analytics.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
