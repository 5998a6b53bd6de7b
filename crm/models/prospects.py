"""Hunting new clients (DOMAIN.md section 3): prospect lists, the 3-month rule's queue,
the monthly long and short lists, and cold-call norms."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.querysets import OwnedQuerySet

from .users import Role

if TYPE_CHECKING:
    from .users import User


class ProspectListQuerySet(OwnedQuerySet["ProspectList"]):
    owner_paths = ("owner",)
    sees_all_roles = (Role.BASE_MANAGER,)


class ProspectList(models.Model):
    """A manager's list of companies to win (список потенциальных клиентов), checked against the whole base."""

    owner = models.ForeignKey(
        "crm.User", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="prospect_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ProspectListQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect list")
        verbose_name_plural = _("prospect lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProspectEntryQuerySet(models.QuerySet["ProspectEntry"]):
    def visible_to(self, user: User) -> ProspectEntryQuerySet:
        return self.filter(prospect_list__in=ProspectList.objects.visible_to(user))


class ProspectEntry(Versioned):
    """One company on a prospect list, with what the check against the base found."""

    class Check(models.TextChoices):
        FREE = "free", _("Free to work")
        OWN = "own", _("Already this manager's client")
        TAKEN = "taken", _("Worked by another manager")
        DUPLICATE = "duplicate", _("Repeated on this list")

    class MatchedBy(models.TextChoices):
        INN = "inn", _("INN")
        PHONE = "phone", _("Phone")
        NAME = "name", _("Name")

    prospect_list = models.ForeignKey(
        ProspectList, verbose_name=_("prospect list"), on_delete=models.CASCADE, related_name="entries"
    )
    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    normalized_name = models.CharField(_("normalised name"), max_length=255, db_index=True, editable=False)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, blank=True)
    source_detail = models.CharField(_("source detail"), max_length=30, blank=True)
    check_result = models.CharField(_("check"), max_length=10, choices=Check.choices, default=Check.FREE)
    matched_by = models.CharField(_("matched by"), max_length=10, choices=MatchedBy.choices, blank=True)
    worked_by = models.ForeignKey(
        "crm.User", verbose_name=_("worked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ProspectEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect list entry")
        verbose_name_plural = _("prospect list entries")
        ordering = ["prospect_list", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_complete(self) -> bool:
        """Counts toward the list's target: phone, e-mail and address all known (DOMAIN.md section 3)."""
        return bool(self.phone and self.email and self.address)


class ReassignmentQuerySet(OwnedQuerySet["Reassignment"]):
    """The queue is the head's; a manager sees the flags on his own clients."""

    owner_paths = ("owner",)


class Reassignment(models.Model):
    """A client flagged by the 3-month rule, waiting for the head's decision (DOMAIN.md section 3)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the head")
        REASSIGNED = "reassigned", _("Reassigned")
        EXTENDED = "extended", _("Extended")
        RESOLVED = "resolved", _("No longer needed")

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="reassignments"
    )
    owner = models.ForeignKey("crm.User", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+")
    owned_since = models.DateField(_("owned since"))
    flagged_on = models.DateField(_("flagged on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    new_owner = models.ForeignKey(
        "crm.User", verbose_name=_("new manager"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        "crm.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ReassignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignment queue")
        ordering = ["flagged_on", "id"]
        constraints = [
            # One flag per ownership period: the nightly job can run any number of times.
            models.UniqueConstraint(fields=["client", "owner", "owned_since"], name="reassignment_once_per_ownership"),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="pending"), name="reassignment_one_pending_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} ({self.flagged_on})"


class LongListQuerySet(OwnedQuerySet["LongList"]):
    owner_paths = ("owner",)


class LongList(models.Model):
    """A manager's long list (длинный список) for a month: 50-100 companies to call once early in the month."""

    owner = models.ForeignKey(
        "crm.User", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="long_lists"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    drafted_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = LongListQuerySet.as_manager()

    class Meta:
        verbose_name = _("long list")
        verbose_name_plural = _("long lists")
        ordering = ["-month", "owner"]
        constraints = [models.UniqueConstraint(fields=["owner", "month"], name="longlist_one_per_month")]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%m.%Y}"


class LongListEntry(Versioned):
    class Reason(models.TextChoices):
        CARRIED = "carried", _("Carried over from last month")
        FORMER_BUYER = "former_buyer", _("Former big buyer, no purchase for months")
        NEVER_BOUGHT = "never_bought", _("Prospect that never bought")
        WIN_BACK = "win_back", _("Free win-back: a former buyer nobody owns")
        ADDED = "added", _("Added by hand")

    long_list = models.ForeignKey(
        LongList, verbose_name=_("long list"), on_delete=models.CASCADE, related_name="entries"
    )
    client = models.ForeignKey("crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why on the list"), max_length=15, choices=Reason.choices)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    past_turnover = models.DecimalField(
        _("turnover of the past 2 years, ₽"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    interested = models.BooleanField(_("interested"), null=True, blank=True)
    short_listed = models.BooleanField(_("on the short list"), default=False)
    potential_monthly = models.DecimalField(
        _("monthly potential, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    potential_yearly = models.DecimalField(
        _("yearly potential, ₽"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    not_worth = models.BooleanField(_("not worth the time"), default=False)
    needs = models.TextField(_("needs"), blank=True)
    reasons_not_bought = models.TextField(_("why they did not buy"), blank=True)
    objections = models.TextField(_("objections and how they were solved"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("long list entry")
        verbose_name_plural = _("long list entries")
        ordering = ["long_list", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["long_list", "client"], name="longlist_client_once")]

    def __str__(self) -> str:
        return f"{self.long_list_id}: {self.client_id}"


class ColdCallNorm(models.Model):
    """The head's daily cold-call number for one manager (DOMAIN.md section 3, [004])."""

    manager = models.OneToOneField(
        "crm.User", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="cold_call_norm"
    )
    daily_calls = models.PositiveSmallIntegerField(_("cold calls a day"), validators=[MaxValueValidator(1000)])
    set_by = models.ForeignKey(
        "crm.User", verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cold-call norm")
        verbose_name_plural = _("cold-call norms")

    def __str__(self) -> str:
        return f"{self.manager}: {self.daily_calls}"
