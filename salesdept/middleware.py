from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class RussianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Russian until the user picks another language; the API still honours Accept-Language.

    A browser set to English must not switch a Russian sales department's CRM to English by itself.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
