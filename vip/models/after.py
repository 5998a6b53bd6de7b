"""After quality (seed 002, the parts after the quality questions): proposals and referrals from a questionnaire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .questionnaires import Questionnaire

if TYPE_CHECKING:
    from crm.models import User


class QuestionnaireOfferQuerySet(models.QuerySet["QuestionnaireOffer"]):
    def visible_to(self, user: User) -> QuestionnaireOfferQuerySet:
        """Whoever sees the questionnaire sees its proposals."""
        return self.filter(questionnaire__in=Questionnaire.objects.visible_to(user))


class QuestionnaireOffer(models.Model):
    """An item of "room to grow" or "new products and services" turned into a proposal: a crm deal."""

    class Kind(models.TextChoices):
        VOLUME = "volume", _("Grow a current volume")
        NEW_PRODUCT = "new_product", _("New product or service")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="offers"
    )
    deal = models.OneToOneField("crm.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="vip_offer")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    product = models.ForeignKey(
        "crm.Product", verbose_name=_("product"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("what is proposed"), max_length=255)
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = QuestionnaireOfferQuerySet.as_manager()

    # Set by offer_create: crm's gate messages that stopped the deal before `proposal` (not stored).
    stopped_by: dict[str, list[str]] = {}

    class Meta:
        verbose_name = _("proposal from a questionnaire")
        verbose_name_plural = _("proposals from questionnaires")
        ordering = ["questionnaire", "id"]

    def __str__(self) -> str:
        return self.text


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: User) -> ReferralQuerySet:
        """Whoever sees the questionnaire, and the person the referral was given to."""
        return self.filter(
            models.Q(questionnaire__in=Questionnaire.objects.visible_to(user)) | models.Q(assigned_to=user)
        )


class Referral(models.Model):
    """A company the client recommended in the meeting; it becomes an entry of a prospect list, checked against the
    base like any prospect."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("New prospect")
        IN_BASE = "in_base", _("Already in the base")
        DUPLICATE = "duplicate", _("Already on the list")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="referrals"
    )
    referrer = models.ForeignKey(
        "crm.Client", verbose_name=_("recommended by"), on_delete=models.CASCADE, related_name="vip_referrals"
    )
    name = models.CharField(_("company"), max_length=255)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact = models.CharField(_("contact person"), max_length=255, blank=True)
    assigned_to = models.ForeignKey(
        "crm.User", verbose_name=_("given to"), on_delete=models.PROTECT, related_name="vip_referrals"
    )
    entry = models.ForeignKey(
        "crm.ProspectEntry",
        verbose_name=_("prospect entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT)
    created_by = models.ForeignKey("crm.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
