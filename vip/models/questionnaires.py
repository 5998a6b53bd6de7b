"""The VIP questionnaire (seed 002 step 5): versioned templates of questions, filled questionnaires and answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm.models import Role
from vip.rules.questionnaires import SECTION_ORDER, Kind, Parsed, Rule, Section

from .programme import ProgrammeClient, runs_programme

if TYPE_CHECKING:
    from crm.models import User


class QuestionnaireTemplate(models.Model):
    """One version of the questionnaire; once a questionnaire is filled on it, it is not changed (a new version is
    made instead), so a filled questionnaire always shows the questions it was filled on."""

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")
        ordering = ["-version", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="vip_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_used(self) -> bool:
        return self.questionnaires.exists()


class Question(models.Model):
    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("options"), default=list, blank=True)
    rule = models.CharField(_("acceptance rule"), max_length=12, choices=Rule.choices, blank=True)
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def section_index(self) -> int:
        return SECTION_ORDER[self.section]


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def visible_to(self, user: User) -> QuestionnaireQuerySet:
        """The VIP head and the head see all; the employee his own; staff their clients'; a seller his clients'."""
        if runs_programme(user):
            return self
        if user.role == Role.SERVICE:
            return self.none()
        assigned = ProgrammeClient.objects.filter(client_id=OuterRef("client_id"), assigned_to=user)
        mine = Q(employee=user) | Q(Exists(assigned))
        if user.is_seller:
            mine |= user.owner_q("client__owner")
        return self.filter(mine)


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled")
        PAUSED = "paused", _("Paused on a quality problem")
        COMPLETE = "complete", _("Complete")

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="vip_questionnaires"
    )
    employee = models.ForeignKey(
        "crm.User", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="vip_questionnaires"
    )
    campaign = models.ForeignKey(
        "vip.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
    )
    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    meeting_date = models.DateField(_("meeting date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    paused_at_section = models.CharField(_("paused at section"), max_length=20, choices=Section.choices, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-meeting_date", "-id"]
        indexes = [models.Index(fields=["employee", "status"], name="vip_questionnaire_employee")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="paused") | ~Q(paused_at_section=""), name="vip_paused_has_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} — {self.meeting_date:%d.%m.%Y}"


class Answer(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=2, null=True, blank=True)
    flag = models.BooleanField(_("yes / no"), null=True, blank=True)
    passed = models.BooleanField(_("passes the rule"), default=True)
    answered_by = models.ForeignKey(
        "crm.User", verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "question"], name="vip_answer_unique")]

    def __str__(self) -> str:
        return self.display

    @property
    def parsed(self) -> Parsed:
        return Parsed(text=self.text, number=self.number, flag=self.flag)

    @property
    def display(self) -> str:
        """The answer as it is typed back into its field."""
        if self.flag is not None:
            return "yes" if self.flag else "no"
        if self.number is not None:
            return format(self.number.normalize(), "f")
        return self.text
