"""Requests whose user is known to be logged in: `request.user` typed once as the CRM's user."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from crm.models import User


class AuthedHttpRequest(HttpRequest):
    """A page request behind a login mixin: its user is a `crm.User`, never anonymous."""

    user: User


class AuthedRequest(Request):
    """An API request behind IsAuthenticated."""

    user: User


def user_of(request: HttpRequest | Request) -> User:
    """The logged-in user of a request that a login mixin or IsAuthenticated has already let through."""
    return cast("User", request.user)
