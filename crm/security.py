"""Logins under attack: the client's address, the login log and the answer to a locked-out login (django-axes).

django-axes counts failures per username and per address (settings AXES_*); this module is what the project adds
around it: one log line for every login on logger `salesdept.security`, and a lockout answer in Russian, a page
for /login/ and /admin/, JSON for the API.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException

from core.api_errors import error_response

logger = logging.getLogger("salesdept.security")

API_PREFIX = "/api/"


def client_ip(request: Any) -> str:
    """The caller's address: REMOTE_ADDR, or the one the trusted proxies put into X-Forwarded-For."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appends the address it saw; anything further left was written by the caller.
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, cooloff_seconds() // 60)
    return ngettext(
        "Too many failed login attempts. Logging in with this username or from this address is locked for "
        "%(minutes)d minute. Try again later or ask the administrator to unlock it.",
        "Too many failed login attempts. Logging in with this username or from this address is locked for "
        "%(minutes)d minutes. Try again later or ask the administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


class LoginLocked(APIException):
    """The API's lockout: 429 with Retry-After (DRF sets the header from `wait`)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_locked"
    default_detail = _("Too many failed login attempts.")

    def __init__(self) -> None:
        super().__init__(detail=lockout_message())
        self.wait = cooloff_seconds()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page again with the reason, or JSON under /api/; 429 either way."""
    message = lockout_message()
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = error_response(status.HTTP_429_TOO_MANY_REQUESTS, LoginLocked.default_code, message)
    else:
        from crm.forms.people import LoginForm  # the forms import the models, which are not ready at import time

        form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
        context = {"form": form, "locked_out": message, "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(cooloff_seconds())
    return response


def log_login(*, outcome: str, username: str | None, request: Any) -> None:
    """One line per login attempt: outcome (success, failure, locked), username, address, path."""
    ip = client_ip(request) if request is not None else "-"
    path = getattr(request, "path", "-")
    level = logging.INFO if outcome == "success" else logging.WARNING
    # %r: a username is typed by the caller and must not forge a second log line.
    logger.log(
        level,
        "login %s: username=%r ip=%s path=%s",
        outcome,
        username,
        ip,
        path,
        extra={"login_outcome": outcome, "login_username": username, "login_ip": ip},
    )


def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    locked = bool(getattr(request, "axes_locked_out", False))
    log_login(outcome="locked" if locked else "failure", username=credentials.get("username"), request=request)


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log_login(outcome="success", username=user.get_username(), request=request)


def connect_login_log() -> None:
    """Called once from CrmConfig.ready(), after axes has connected its own receivers."""
    user_login_failed.connect(_login_failed, dispatch_uid="crm.security.login_failed")
    user_logged_in.connect(_logged_in, dispatch_uid="crm.security.logged_in")
