"""Who may open a page or call an API route: one page mixin and one API permission family, both naming a role
check of the user (`User.is_head`, `User.works_in_sales`, ...; crm/models/users.py). Rows are filtered by
`visible_to(user)` elsewhere; these only say which roles a whole page or route is for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core.http import user_of

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from crm.models import User


def has_role(user: Any, check: str) -> bool:
    """Whether a logged-in `user` passes the role check named `check` (a boolean property of `User`)."""
    return bool(user.is_authenticated and getattr(user, check))


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous visitors go to the login page; a logged-in user without `role_check` gets 403 with `role_denied`.

    The view's code reads the user as `self.user`, typed `crm.User`: once the mixin has let the request through,
    its user is logged in.
    """

    role_check: ClassVar[str] = "is_authenticated"
    role_denied: ClassVar[_StrOrPromise] = ""
    # Typed as in `View` and `TemplateResponseMixin`: mypy wants a writable attribute to have one type in all the
    # bases a view mixes, so the narrower user is typed once by the `user` property below, not on `request`.
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.allows(user_of(request)):
            raise PermissionDenied(self.role_denied)
        return super().dispatch(request, *args, **kwargs)

    def allows(self, user: User) -> bool:
        """Whether the page is for `user`; a page whose rule is not one role check overrides this."""
        return has_role(user, self.role_check)

    @property
    def user(self) -> User:
        return user_of(self.request)


class RolePermission(BasePermission):
    """DRF permission: the request passes when the user has `role_check`.

    `methods` limits the check to these HTTP methods (e.g. writes), `actions` to these view-set actions;
    `on_object` checks at object level instead (after `visible_to` found the object).
    """

    role_check: ClassVar[str] = "is_authenticated"
    methods: ClassVar[tuple[str, ...] | None] = None
    actions: ClassVar[tuple[str, ...] | None] = None
    on_object: ClassVar[bool] = False

    def applies(self, request: Request, view: Any) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return False
        return self.actions is None or getattr(view, "action", None) in self.actions

    def has_permission(self, request: Request, view: Any) -> bool:
        if self.on_object or not self.applies(request, view):
            return True
        return has_role(request.user, self.role_check)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if not self.on_object or not self.applies(request, view):
            return True
        return has_role(request.user, self.role_check)


WRITE_METHODS = tuple(m for m in ("POST", "PUT", "PATCH", "DELETE") if m not in SAFE_METHODS)
