"""Who may open the VIP pages (rows are filtered by `visible_to` in the views)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy

from core.access import RoleRequiredMixin
from crm.models import Role, User
from vip.models.programme import runs_programme


def sees_questionnaires(user: User) -> bool:
    """The VIP head and the head; sellers (programme staff, and owners of programme clients)."""
    return runs_programme(user) or user.is_seller


def sees_register(user: User) -> bool:
    """Everyone who sees questionnaires, and the service owner."""
    return sees_questionnaires(user) or user.role == Role.SERVICE


class QuestionnairePageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The VIP questionnaires are for the VIP programme's people.")

    def allows(self, user: User) -> bool:
        return sees_questionnaires(user)


class RegisterPageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The problem register is for the VIP programme and the service owner.")

    def allows(self, user: User) -> bool:
        return sees_register(user)
