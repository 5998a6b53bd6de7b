"""Who may open the analytics pages (their rows come from analytics/selectors/scope.py)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy

from analytics.selectors.scope import sees_analytics
from core.access import RoleRequiredMixin
from crm.models import User


class AnalyticsPageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The analytics are for the sales department and the VIP head.")

    def allows(self, user: User) -> bool:
        return sees_analytics(user)
