"""NPS (DOMAIN.md section 7, seed 003 #7): survey rounds per client, one invitation per contact person with its own
signed, expiring link, and the answers (0-10) from the link, the web form, the office, the phone.

The VIP questionnaire's "would you recommend us" answers are not copied here: analytics/selectors/nps.py reads them
from vip next to these (vip is a lower layer)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NpsSurvey(models.Model):
    """One round of the survey for a client: sent on a day to the client's contact persons with an e-mail."""

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="nps_surveys"
    )
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        "crm.User", verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("NPS survey")
        verbose_name_plural = _("NPS surveys")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["client", "sent_on"], name="nps_survey_client_sent")]

    def __str__(self) -> str:
        return f"{self.client} — {self.sent_on:%d.%m.%Y}"


class NpsInvitation(models.Model):
    """A contact person's link of a round (analytics/services/nps.py `invitation_token`), and its one reminder."""

    survey = models.ForeignKey(
        NpsSurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    contact = models.ForeignKey(
        "crm.ContactPerson", verbose_name=_("contact person"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("NPS invitation")
        verbose_name_plural = _("NPS invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "contact"], name="nps_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.survey} — {self.email}"


class NpsAnswer(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail link")
        WEB = "web", _("Web form")
        OFFICE = "office", _("In the office")
        PHONE = "phone", _("By phone")
        VIP = "vip", _("VIP questionnaire")

    client = models.ForeignKey("crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "crm.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitation = models.OneToOneField(
        NpsInvitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answer",
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(10)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    answered_at = models.DateTimeField(_("answered"))
    recorded_by = models.ForeignKey(
        "crm.User", verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.ForeignKey(
        "crm.Activity",
        verbose_name=_("detractor's task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("NPS answer")
        verbose_name_plural = _("NPS answers")
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["client", "answered_at"], name="nps_answer_client_at")]
        constraints = [models.CheckConstraint(condition=Q(score__lte=10), name="nps_answer_score_0_10")]

    def __str__(self) -> str:
        return f"{self.client}: {self.score}"


class NpsVipFollowUp(models.Model):
    """The detractor's task made for a VIP questionnaire's "would you recommend us" answer of 0-6, once per answer
    (analytics/services/nps.py `vip_answer_saved`, on vip's Answer post_save: vip never imports analytics)."""

    vip_answer = models.OneToOneField(
        "vip.Answer", verbose_name=_("VIP questionnaire answer"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        "crm.Activity", verbose_name=_("detractor's task"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("VIP detractor follow-up")
        verbose_name_plural = _("VIP detractor follow-ups")

    def __str__(self) -> str:
        return f"{self.vip_answer_id}: {self.task_id}"
