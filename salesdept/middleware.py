from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

API_PREFIX = "/api/"


def accepted_language(header: str) -> str | None:
    """The first language of an Accept-Language header that the site speaks (`ru-RU` is `ru`), None if none."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class RussianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Russian until the user picks another language; the API speaks the language of Accept-Language.

    A browser set to English must not switch a Russian sales department's CRM to English by itself. Under /api/ the
    header decides, before the language cookie a browser may carry (a phone's request, anonymous or with a token,
    and a page's own call alike); without a header the API speaks as the pages do.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
            super().process_request(request)
            return
        language = accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if language is None:
            super().process_request(request)
            return
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
