"""Who may write through the API. Reads are filtered by `visible_to`, so an invisible object answers 404
before any of these run; these answer 403 for what a user can see but may not change."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from crm.models import Role, User
from crm.services.people import can_manage_people


def _user(request: Request) -> User:
    """Every CRM view requires authentication (IsAuthenticated runs first)."""
    return cast(User, request.user)


class NoServiceWrites(BasePermission):
    """The service owner works the problem register only: no writes to the CRM core."""

    message = _("Your role does not work with clients and deals.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or _user(request).role != Role.SERVICE


class SellersOrHeadCreateDeals(BasePermission):
    """Deals are opened by sellers and the head; the VIP head and the base manager read clients only."""

    message = _("Only sales managers and the sales head open deals.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        return _user(request).is_seller or _user(request).is_head


class HeadDeletes(BasePermission):
    """Deleting a client or a deal is the head's decision (only while nothing depends on it)."""

    message = _("Only the sales head deletes records.")

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method != "DELETE" or _user(request).is_head


class HeadWritesOrReadOnly(BasePermission):
    """Reference lists (the product catalogue) are kept by the head and the administrator."""

    message = _("Only the sales head or the administrator changes this list.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or _user(request).is_head


class PeopleManagerWrites(BasePermission):
    """Users and teams are managed by the head and the administrator; everyone reads what they may see."""

    message = _("Only the sales head or the administrator manages users and teams.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return can_manage_people(_user(request))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in SAFE_METHODS or can_manage_people(_user(request))
