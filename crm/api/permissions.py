"""Who may write through the API, as role checks of `core.access.RolePermission`. Reads are filtered by
`visible_to`, so an invisible object answers 404 before any of these run; these answer 403 for what a user can see
but may not change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from core.access import WRITE_METHODS, RolePermission


class NoServiceWrites(RolePermission):
    """The service owner works the problem register only: no writes to the CRM core."""

    message = _("Your role does not work with clients and deals.")
    role_check = "reads_clients"
    methods = WRITE_METHODS


class SellersOrHeadCreateDeals(RolePermission):
    """Deals are opened by sellers and the head; the VIP head and the base manager read clients only."""

    message = _("Only sales managers and the sales head open deals.")
    role_check = "works_in_sales"
    actions = ("create",)


class HeadDeletes(RolePermission):
    """Deleting a client or a deal is the head's decision (only while nothing depends on it)."""

    message = _("Only the sales head deletes records.")
    role_check = "is_head"
    methods = ("DELETE",)
    on_object = True


class HeadWritesOrReadOnly(RolePermission):
    """Reference lists (the product catalogue, pay schemes, cold-call norms) are kept by the head and the admin."""

    message = _("Only the sales head or the administrator changes this list.")
    role_check = "is_head"
    methods = WRITE_METHODS


class PeopleManagerWrites(RolePermission):
    """Users and teams are managed by the head and the administrator; everyone reads what they may see."""

    message = _("Only the sales head or the administrator manages users and teams.")
    role_check = "manages_people"
    methods = WRITE_METHODS

    def has_permission(self, request: Request, view: Any) -> bool:
        # A write to one object is decided on the object, after visible_to found it (404 before 403).
        return getattr(view, "detail", False) or super().has_permission(request, view)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return not self.applies(request, view) or super().has_permission(request, view)


class InSales(RolePermission):
    """Plans, plan/fact and cross-sell lists are for the sales department."""

    message = _("Plans are for the sales department.")
    role_check = "works_in_sales"


class HeadWritesNorms(HeadWritesOrReadOnly):
    message = _("Only the sales head sets cold-call norms.")


class ReadsClients(RolePermission):
    """Everyone but the service owner reads clients, contacts and deals."""

    message = _("Your role does not work with clients and deals.")
    role_check = "reads_clients"


class HeadOnly(RolePermission):
    """Webhooks carry the secrets that sign what leaves the CRM: the head's and the administrator's alone."""

    message = _("Only the sales head or the administrator manages webhooks.")
    role_check = "sees_everything"
