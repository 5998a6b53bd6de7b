from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned

from .users import Role

if TYPE_CHECKING:
    from .users import User


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: User) -> ActivityQuerySet:
        if user.sees_everything:
            return self
        if user.is_seller:
            # His own and every activity on his clients, whoever logged it (a colleague, the VIP head).
            return self.filter(user.owner_q("owner") | user.clients_q())
        if user.role in (Role.VIP_HEAD, Role.BASE_MANAGER):
            return self.filter(owner=user)
        return self.none()

    def planned(self) -> ActivityQuerySet:
        """Next steps not done yet: tasks, and calls or meetings scheduled for a time."""
        return self.filter(due_at__isnull=False, done_at__isnull=True)

    def overdue(self, now: datetime) -> ActivityQuerySet:
        return self.planned().filter(due_at__lt=now)


class Activity(Versioned):
    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        TASK = "task", _("Task")

    class Direction(models.TextChoices):
        INCOMING = "in", _("Incoming")
        OUTGOING = "out", _("Outgoing")

    class CallResult(models.TextChoices):
        REACHED = "reached", _("Talked to the decision maker")
        REACHED_OTHER = "reached_other", _("Talked to someone else")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        CALLBACK = "callback", _("Asked to call back")
        REFUSED = "refused", _("Refused")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="activities"
    )
    deal = models.ForeignKey(
        "crm.Deal", verbose_name=_("deal"), null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    owner = models.ForeignKey("crm.User", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="activities")
    subject = models.CharField(_("subject"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True)
    call_result = models.CharField(_("call result"), max_length=20, choices=CallResult.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration, s"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # Given by the phone or the integration that creates the row, so a create sent twice makes one row (docs/api.md).
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["deal", "due_at"], condition=Q(done_at__isnull=True), name="activity_deal_planned"),
            models.Index(fields=["owner", "due_at"], name="activity_owner_due"),
            # The due tasks of the home, My day and the tasks list in their order, the first rows without a sort; their
            # counts per owner read the index alone (owner and client included for the visibility test).
            models.Index(
                fields=["due_at", "id"],
                include=["owner", "client"],
                condition=Q(done_at__isnull=True, due_at__isnull=False),
                name="activity_planned_due",
            ),
            # The tasks list's "done in the last 30 days", newest first, and its count (owner and client included:
            # the visibility test reads the index alone).
            models.Index(
                fields=["-done_at", "-id"],
                include=["owner", "client"],
                condition=Q(done_at__isnull=False, due_at__isnull=False),
                name="activity_done_recent",
            ),
            # What a manager did on a day: cold-call progress, calls this week, last contact.
            models.Index(fields=["owner", "done_at"], name="activity_owner_done"),
            models.Index(fields=["client", "created_at"], name="activity_client_created"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
