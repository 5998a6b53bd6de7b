"""The analytics API's permission: the same people as the pages (analytics/selectors/scope.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from analytics.selectors.scope import sees_analytics
from core.http import user_of


class SeesAnalytics(BasePermission):
    message = gettext_lazy("The analytics are for the sales department and the VIP head.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and sees_analytics(user_of(request)))
