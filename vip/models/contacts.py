"""The key persons checked in a questionnaire (seed 002, "key persons and contacts"): which of the client's contact
persons were confirmed, updated, marked gone or added in the meeting. The contact persons themselves are crm's."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactCheck(models.Model):
    class Action(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        UPDATED = "updated", _("Updated")
        GONE = "gone", _("Gone, removed from the card")
        ADDED = "added", _("Added")

    questionnaire = models.ForeignKey(
        "vip.Questionnaire", verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="contact_checks"
    )
    # Empty once the person is marked gone (crm deletes him; his name stays here and in the change log).
    contact = models.ForeignKey(
        "crm.ContactPerson",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("full name"), max_length=255)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey("crm.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("key person check")
        verbose_name_plural = _("key person checks")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["questionnaire", "contact"], name="vip_contactcheck_q_contact")]

    def __str__(self) -> str:
        return f"{self.contact_name}: {self.get_action_display()}"
