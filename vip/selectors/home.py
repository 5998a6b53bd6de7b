"""The VIP programme's cards on the homes of the roles that do not sell (core/panels.py HOME): the VIP head's
questionnaires and the problem register, which is also the service owner's whole workspace."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.panels import HomeLink
from crm.models import Role, User
from vip.models import Problem, ProgrammeClient, Questionnaire


def _reads_register(user: User) -> bool:
    return user.role in (Role.VIP_HEAD, Role.SERVICE)


def problem_register_link(user: User, today: date) -> HomeLink | None:
    """Problems not yet confirmed by their client, and how many of them wait for service (open or reopened)."""
    if not _reads_register(user):
        return None
    counts = Problem.objects.visible_to(user).aggregate(
        unresolved=Count("pk", filter=~Q(status=Problem.Status.CLOSED)),
        waiting=Count("pk", filter=Q(status=Problem.Status.OPEN)),
    )
    return HomeLink(
        key="vip_problems",
        title=_("The problem register"),
        url=reverse("vip_problem_list"),
        figure=str(counts["unresolved"]),
        note=ngettext(
            "not confirmed by the client; %(waiting)s waits for service",
            "not confirmed by their clients; %(waiting)s wait for service",
            counts["unresolved"],
        )
        % {"waiting": counts["waiting"]},
        warn=counts["waiting"] > 0,
    )


def questionnaires_link(user: User, today: date) -> HomeLink | None:
    """The VIP head's questionnaires being filled or paused on a problem."""
    if user.role != Role.VIP_HEAD:
        return None
    counts = Questionnaire.objects.visible_to(user).aggregate(
        open=Count("pk", filter=~Q(status=Questionnaire.Status.COMPLETE)),
        paused=Count("pk", filter=Q(status=Questionnaire.Status.PAUSED)),
    )
    return HomeLink(
        key="vip_questionnaires",
        title=_("Questionnaires"),
        url=reverse("vip_questionnaire_list"),
        figure=str(counts["open"]),
        note=ngettext(
            "in progress; %(paused)s paused on a quality problem",
            "in progress; %(paused)s paused on a quality problem",
            counts["open"],
        )
        % {"paused": counts["paused"]},
    )


def dashboard_link(user: User, today: date) -> HomeLink | None:
    """The VIP head's dashboard: the programme's meetings overdue by the Pareto frequencies."""
    if user.role != Role.VIP_HEAD:
        return None
    overdue = ProgrammeClient.objects.visible_to(user).filter(next_due__lt=today).count()
    return HomeLink(
        key="vip_dashboard",
        title=_("VIP dashboard"),
        url=reverse("vip_dashboard"),
        figure=str(overdue),
        note=ngettext(
            "meeting overdue; quotas of the week, campaign progress, staffing",
            "meetings overdue; quotas of the week, campaign progress, staffing",
            overdue,
        ),
        warn=overdue > 0,
    )
