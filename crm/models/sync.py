"""Tombstones for mobile sync (docs/api.md, "Sync"): rows a phone must drop, because they were deleted or because
they left the user's sight (a client reassigned away with its work, a manager moved to another team).

Each tombstone keeps, as of the event, whose rows it were: the row's owner and the owner of its client, with their
teams. A user's changes feed reads the tombstones of his scope that are not visible to him now (a client handed
back to him wins over the tombstone of its leaving).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    class Reason(models.TextChoices):
        DELETED = "deleted", _("Deleted")
        REASSIGNED = "reassigned", _("Reassigned to another manager")
        TEAM_CHANGED = "team_changed", _("Its manager moved to another team")

    id = models.BigAutoField(primary_key=True)
    # The API resource of the row, as in its URL: "clients", "deals", "vip/problems"...
    resource = models.CharField(_("resource"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    # Whose rows they were when the event happened (no foreign keys: a tombstone outlives users and teams).
    owner_id = models.BigIntegerField(_("owner"), null=True, blank=True)
    team_id = models.BigIntegerField(_("owner's team"), null=True, blank=True)
    client_owner_id = models.BigIntegerField(_("client's owner"), null=True, blank=True)
    client_team_id = models.BigIntegerField(_("client owner's team"), null=True, blank=True)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        indexes = [models.Index(fields=["at", "id"], name="tombstone_at_id")]

    def __str__(self) -> str:
        return f"{self.resource} {self.object_id} {self.reason}"
