"""The site's own error pages (templates/404.html, 403.html, 500.html, in Russian in the site's frame) and the same
errors as JSON under /api/, in the shape of every other API error (core/api_errors.py, docs/api.md "Errors")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import RedirectView

from core.api_errors import error_response

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return error_response(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        detail = str(exception) or _("You do not have permission to perform this action.")
        return error_response(403, "permission_denied", detail)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html renders without a request context (no `user`, no context processors): a plain standalone frame."""
    if _is_api(request):
        return error_response(500, "error", _("A server error occurred."))
    return defaults.server_error(request)


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on their own, to the static mark (a temporary redirect: the static name
    changes with its content in production)."""

    permanent = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("favicon.svg")
