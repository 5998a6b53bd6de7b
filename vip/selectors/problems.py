"""Reads behind the problem register, always through `visible_to(user)`."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.models import User
from vip.models import Problem, VipNotification


def problem_rows(*, user: User, status: str = "", client: str = "") -> QuerySet[Problem]:
    """The register as the user sees it, filtered by status and by the client's name."""
    rows = Problem.objects.visible_to(user).select_related("client", "employee", "questionnaire")
    if status == "unresolved":
        rows = rows.unresolved()
    elif status in Problem.Status.values:
        rows = rows.filter(status=status)
    if client.strip():
        rows = rows.filter(client__name__icontains=client.strip())
    return rows.order_by("-created_at", "-id")


def unread_notices(user: User, limit: int = 10) -> list[VipNotification]:
    return list(
        VipNotification.objects.filter(user=user, read_at__isnull=True, problem__in=Problem.objects.visible_to(user))
        .select_related("problem", "problem__client")
        .order_by("-created_at", "-id")[:limit]
    )
