"""The programme's list, its campaigns and its staff (DOMAIN.md section 6, seed 002 steps 1-4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm.models import Role

if TYPE_CHECKING:
    from crm.models import User


def runs_programme(user: User) -> bool:
    """The VIP head, the head and the admin see the whole programme."""
    return user.sees_everything or user.role == Role.VIP_HEAD


class ProgrammeClientQuerySet(models.QuerySet["ProgrammeClient"]):
    def visible_to(self, user: User) -> ProgrammeClientQuerySet:
        """The VIP head and the head see the list; staff their personal list; a seller his own clients' entries."""
        if runs_programme(user):
            return self
        if user.role == Role.SERVICE:
            return self.none()
        mine = Q(assigned_to=user)
        if user.is_seller:
            mine |= user.owner_q("client__owner")
        return self.filter(mine)


class ProgrammeClient(models.Model):
    """A client on the programme's list, with its tier and the employee who works it in the programme."""

    class Tier(models.TextChoices):
        MONTHLY = "monthly", _("Most valuable (monthly)")
        QUARTERLY = "quarterly", _("Key (quarterly)")
        YEARLY = "yearly", _("Every client (yearly)")

    class AssignReason(models.TextChoices):
        KEEPS_AWAY = "keeps_away", _("Keeps others away from the client")
        NOT_DEVELOPED = "not_developed", _("Has not developed the client fully")
        OTHER = "other", _("Other")

    client = models.OneToOneField(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="vip_entry"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.YEARLY)
    added_by = models.ForeignKey(
        "crm.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    added_reason = models.CharField(
        _("why a private client is on the list"), max_length=500, blank=True, help_text=_("For clients added by hand.")
    )
    assigned_to = models.ForeignKey(
        "crm.User",
        verbose_name=_("employee in the programme"),
        on_delete=models.PROTECT,
        related_name="vip_clients",
        null=True,
        blank=True,
    )
    revenue_12m = models.DecimalField(
        _("revenue, 12 months, ₽"), max_digits=16, decimal_places=2, default=0, help_text=_("As of the last tiering.")
    )
    next_due = models.DateField(_("next meeting due"), null=True, blank=True, db_index=True)
    tiered_on = models.DateField(_("tiered on"), null=True, blank=True)
    assign_reason = models.CharField(_("why not the owner"), max_length=20, choices=AssignReason.choices, blank=True)
    assign_note = models.CharField(_("reason in words"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ProgrammeClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme client")
        verbose_name_plural = _("programme clients")
        ordering = ["client__name", "id"]

    def __str__(self) -> str:
        return str(self.client)

    def clean(self) -> None:
        """Giving the client to someone other than its owner needs a reason (seed 002 step 4)."""
        errors: dict[str, list[Any]] = {}
        if self.assigned_to_id and self.client_id and self.assigned_to_id != self.client.owner_id:
            if not self.assign_reason:
                errors["assign_reason"] = [_("Say why the client is given to someone other than its owner.")]
            elif self.assign_reason == self.AssignReason.OTHER and not self.assign_note.strip():
                errors["assign_note"] = [_("Write the reason in words.")]
        if errors:
            raise ValidationError(errors)


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: User) -> CampaignQuerySet:
        if runs_programme(user):
            return self
        return self.filter(Exists(StaffAssignment.objects.filter(campaign=OuterRef("pk"), user=user)))


class Campaign(models.Model):
    """A full pass of the list in a period (e.g. the summer, 13 weeks)."""

    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=13)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start", "id"]
        constraints = [models.CheckConstraint(condition=Q(weeks__gte=1), name="vip_campaign_weeks_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def end(self) -> date:
        """The campaign's last day."""
        return self.start + timedelta(weeks=self.weeks) - timedelta(days=1)


class StaffAssignmentQuerySet(models.QuerySet["StaffAssignment"]):
    def visible_to(self, user: User) -> StaffAssignmentQuerySet:
        if runs_programme(user):
            return self
        return self.filter(user=user)


class StaffAssignment(models.Model):
    """A person given to the programme for a campaign: dedicated (100 %) or part-time (about half the time)."""

    class Load(models.TextChoices):
        DEDICATED = "dedicated", _("Dedicated (100 %)")
        PART_TIME = "part_time", _("Part-time (50 %)")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        "crm.User", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="vip_assignments"
    )
    load = models.CharField(_("load"), max_length=10, choices=Load.choices, default=Load.PART_TIME)

    objects = StaffAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        ordering = ["campaign", "user"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="vip_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.campaign}"


class VipCallScript(models.Model):
    """What the employee says when he calls to set the meeting (seed 002 step 7); one row, edited by the VIP head."""

    text = models.TextField(_("call script"))
    updated_by = models.ForeignKey(
        "crm.User", verbose_name=_("updated by"), on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call script")
        verbose_name_plural = _("call scripts")

    def __str__(self) -> str:
        return self.text[:60]
