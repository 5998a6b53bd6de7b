from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.querysets import OwnedQuerySet

from .users import Role

if TYPE_CHECKING:
    pass


class ChangeLog(models.Model):
    """Who changed what in a client or a deal, field by field."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    by = models.ForeignKey(
        "crm.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="changelog_target")]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} {self.action}"


class OwnershipChangeQuerySet(OwnedQuerySet["OwnershipChange"]):
    owner_paths = ("client__owner",)
    sees_all_roles = (Role.VIP_HEAD, Role.BASE_MANAGER)


class OwnershipChange(models.Model):
    """Every change of a client's owner: who, when, from, to, why. The 3-month rule reads this."""

    class Cause(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        RULE = "rule", _("Taken by the 3-month rule")
        LOST = "lost", _("Lost: no purchase for the lost-client months")

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="ownership_changes"
    )
    from_owner = models.ForeignKey(
        "crm.User", verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_owner = models.ForeignKey(
        "crm.User", verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices, default=Cause.ASSIGNED)
    by = models.ForeignKey(
        "crm.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = OwnershipChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ownership change")
        verbose_name_plural = _("ownership history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "at"], name="ownership_client_at")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_owner_id} -> {self.to_owner_id}"
