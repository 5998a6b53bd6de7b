from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware


class RussianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Russian until the user picks another language; the API still honours Accept-Language.

    A browser set to English must not switch a Russian sales department's CRM to English by itself.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class ApiGZipMiddleware(GZipMiddleware):
    """Gzip for the API's answers only (a page of deals shrinks about 9 times), never for the HTML pages.

    Pages carry the CSRF token and echo what the user typed: compressed, their length lets an attacker who can
    make the browser send requests guess the secret byte by byte (BREACH). API answers carry no CSRF token (JWT
    in a header), so they are compressed; see docs/api.md, "Transport".
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
