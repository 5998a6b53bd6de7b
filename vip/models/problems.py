"""The problem register (seed 002 steps 10-14): a quality problem found in a meeting, worked by service and closed
only when the client confirms; every action is a history row; in-app notices to the people it is routed to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm.models import Role
from vip.rules.questionnaires import Section

from .programme import ProgrammeClient, runs_programme

if TYPE_CHECKING:
    from crm.models import User


class ProblemQuerySet(models.QuerySet["Problem"]):
    def visible_to(self, user: User) -> ProblemQuerySet:
        """The VIP head, the head and the service owner see the register; staff and sellers their clients'."""
        if runs_programme(user) or user.role == Role.SERVICE:
            return self
        assigned = ProgrammeClient.objects.filter(client_id=OuterRef("client_id"), assigned_to=user)
        mine = Q(employee=user) | Q(Exists(assigned))
        if user.is_seller:
            mine |= user.owner_q("client__owner")
        return self.filter(mine)

    def unresolved(self) -> ProblemQuerySet:
        return self.exclude(status=Problem.Status.CLOSED)


class Problem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_WORK = "in_work", _("In work at service")
        FIXED = "fixed", _("Fixed by service, waiting for the client")
        CLOSED = "closed", _("Closed: the client confirmed")

    client = models.ForeignKey("crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(
        "vip.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
    )
    question = models.ForeignKey(
        "vip.Question", verbose_name=_("question"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices, default=Section.QUALITY)
    employee = models.ForeignKey(
        "crm.User", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="vip_problems"
    )
    what = models.TextField(_("what is wrong"))
    since = models.CharField(_("since when"), max_length=200, blank=True)
    impact = models.TextField(_("how it hurts the client"), blank=True)
    witnesses = models.CharField(_("who saw it"), max_length=500, blank=True)
    contacts = models.CharField(_("contacts"), max_length=500, blank=True)
    contact_email = models.EmailField(_("client's e-mail for the confirmation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    client_words = models.TextField(_("the client's words"), blank=True)
    # Raised on every "fixed": a confirmation link carries it, so a used or an older link cannot close the problem.
    link_round = models.PositiveIntegerField(default=0, editable=False)
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "fixed_at"], name="vip_problem_status_fixed")]

    def __str__(self) -> str:
        return f"{self.client}: {self.what[:60]}"


class ProblemEvent(models.Model):
    """One action on a problem: who did it (empty: the client, through the link), when, and what was said."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        DETAILS = "details", _("Details recorded")
        TAKEN = "taken", _("Taken into work")
        FIXED = "fixed", _("Marked fixed by service")
        CONFIRMED = "confirmed", _("The client confirmed: all is well")
        REOPENED = "reopened", _("The client says the problem remains")
        ESCALATED = "escalated", _("Escalated to the VIP head")

    class Channel(models.TextChoices):
        APP = "app", _("In the app")
        CALL = "call", _("By phone")
        LINK = "link", _("By the e-mail link")

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, default=Channel.APP)
    by = models.ForeignKey(
        "crm.User", verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d.%m.%Y}"


class VipNotification(models.Model):
    """An in-app notice of a problem to a person it is routed to."""

    user = models.ForeignKey("crm.User", verbose_name=_("to"), on_delete=models.CASCADE, related_name="vip_notices")
    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("text"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="vip_notice_user_unread")]

    def __str__(self) -> str:
        return self.text
