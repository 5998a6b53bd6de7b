"""Monthly plans from 4 months of history (DOMAIN.md section 4), the tools that work them, and pay (section 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.querysets import OwnedQuerySet
from crm.models import Role
from crm.rules import numbers as N

if TYPE_CHECKING:
    pass


class Digits(TypedDict):
    """The `max_digits` and `decimal_places` of a DecimalField, spread into it as `**MONEY` or `**SHARE`."""

    max_digits: int
    decimal_places: int


MONEY: Digits = {"max_digits": 16, "decimal_places": 2}
SHARE: Digits = {"max_digits": 6, "decimal_places": 4}


class PlanQuerySet(OwnedQuerySet["Plan"]):
    owner_paths = ("manager",)


class Plan(Versioned):
    """One version of a manager's plan for a month; an approved version is frozen, changes make a new one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    manager = models.ForeignKey("crm.User", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="plans")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    target = models.DecimalField(_("target T, ₽"), **MONEY)
    one_off_share = models.DecimalField(
        _("planned share of one-off sales"),
        **SHARE,
        # The range is the head's (department settings), checked by the plan service when a version is made.
        default=N.ONE_OFF_SHARE_MIN,
    )
    active_existing_share = models.DecimalField(
        _("share s of active sales to existing clients"),
        **SHARE,
        default=N.EXISTING_SHARE_MIN,
    )
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window to"), help_text=_("Last day of the 4-month window."))
    months_worked = models.PositiveSmallIntegerField(_("months with sales in the window"), default=0)
    window_total = models.DecimalField(_("4-month turnover, ₽"), **MONEY, default=Decimal("0"))
    regular_total = models.DecimalField(_("regular clients R, ₽"), **MONEY, default=Decimal("0"))
    average_monthly = models.DecimalField(_("average month A, ₽"), **MONEY, default=Decimal("0"))
    one_off = models.DecimalField(_("one-off sales O, ₽"), **MONEY, default=Decimal("0"))
    active_gap = models.DecimalField(_("active sales G, ₽"), **MONEY, default=Decimal("0"))
    active_existing = models.DecimalField(_("to existing clients E, ₽"), **MONEY, default=Decimal("0"))
    active_new = models.DecimalField(_("to new clients N, ₽"), **MONEY, default=Decimal("0"))
    cross_sell_cover = models.DecimalField(_("cross-sell list to carry (5 × E), ₽"), **MONEY, default=Decimal("0"))
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        "crm.User", verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-month", "manager", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "month", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["manager", "month"], condition=Q(status="approved"), name="plan_one_approved_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} {self.month:%m.%Y} v{self.version}"


class PlanLine(models.Model):
    """A regular client of the plan: bought in at least 3 of the 4 window months; plans 1/4 of its turnover."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    client = models.ForeignKey("crm.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    months_with_purchases = models.PositiveSmallIntegerField(_("months with purchases"))
    window_total = models.DecimalField(_("4-month turnover, ₽"), **MONEY)
    monthly = models.JSONField(_("turnover by month"), default=list, help_text=_("The 4 window months, oldest first."))
    plan_amount = models.DecimalField(_("plan, ₽"), **MONEY)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "-plan_amount", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "client"], name="planline_client_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.client_id}"


class ComplementRule(models.Model):
    """Tool 1's map, kept by the head: who buys `category` should be offered `complement`."""

    category = models.ForeignKey(
        "crm.ProductCategory", verbose_name=_("buys"), on_delete=models.CASCADE, related_name="complement_rules"
    )
    complement = models.ForeignKey(
        "crm.ProductCategory", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("complement rule")
        verbose_name_plural = _("complement map")
        constraints = [
            models.UniqueConstraint(fields=["category", "complement"], name="complement_pair_once"),
            models.CheckConstraint(condition=~Q(category=models.F("complement")), name="complement_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} -> {self.complement_id}"


class FeaturedItem(models.Model):
    """Tool 2: one A4 page of new, promoted, high-motivation and clearance items."""

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        PROMOTION = "promotion", _("Promotion")
        HIGH_MOTIVATION = "high_motivation", _("High-motivation brand")
        CLEARANCE = "clearance", _("Clearance")

    product = models.ForeignKey("crm.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Tool 2 item")
        verbose_name_plural = _("Tool 2 items")
        ordering = ["kind", "product"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.product_id}"


class Tool2ItemQuerySet(OwnedQuerySet["Tool2Item"]):
    owner_paths = ("manager",)


class Tool2Item(models.Model):
    """A line a manager adds to his own Tool 2: a product or a free text, in one of the four groups."""

    manager = models.ForeignKey(
        "crm.User", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="tool2_items"
    )
    kind = models.CharField(_("group"), max_length=20, choices=FeaturedItem.Kind.choices)
    product = models.ForeignKey(
        "crm.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("item"), max_length=255, blank=True, help_text=_("When the item is not a product."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = Tool2ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("own Tool 2 item")
        verbose_name_plural = _("own Tool 2 items")
        ordering = ["manager", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(product__isnull=False) | ~Q(text=""), name="tool2item_product_or_text"),
        ]

    def __str__(self) -> str:
        return self.text or str(self.product_id)


class Tool2StrikeQuerySet(OwnedQuerySet["Tool2Strike"]):
    owner_paths = ("manager",)


class Tool2Strike(models.Model):
    """A manager struck one of the head's items out of his own Tool 2 (the item stays for everyone else)."""

    manager = models.ForeignKey("crm.User", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        FeaturedItem, verbose_name=_("Tool 2 item"), on_delete=models.CASCADE, related_name="strikes"
    )
    created_at = models.DateTimeField(_("struck out"), auto_now_add=True)

    objects = Tool2StrikeQuerySet.as_manager()

    class Meta:
        verbose_name = _("struck-out Tool 2 item")
        verbose_name_plural = _("struck-out Tool 2 items")
        constraints = [models.UniqueConstraint(fields=["manager", "item"], name="tool2strike_once")]

    def __str__(self) -> str:
        return f"{self.manager_id} - {self.item_id}"


# The roles that are paid by a scheme: the sellers.
PAY_ROLES = (Role.MANAGER, Role.TEAM_LEAD)


class PayScheme(models.Model):
    """A role's pay: a small fixed part, a soft part tied to 0-5 KPIs, bonus rates at plan thresholds."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    fixed = models.DecimalField(_("fixed salary, ₽"), **MONEY, default=Decimal("0"))
    soft = models.DecimalField(_("soft part when every KPI is met, ₽"), **MONEY, default=Decimal("0"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pay scheme")
        verbose_name_plural = _("pay schemes")

    def __str__(self) -> str:
        return self.get_role_display()


class PayKpi(models.Model):
    scheme = models.ForeignKey(PayScheme, verbose_name=_("pay scheme"), on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("KPI"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight, %"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["scheme", "id"]

    def __str__(self) -> str:
        return self.name


class PayThreshold(models.Model):
    """From `fulfilment_percent` of plan (80, 90, 100), the bonus is `rate` of the month's paid sales."""

    scheme = models.ForeignKey(
        PayScheme, verbose_name=_("pay scheme"), on_delete=models.CASCADE, related_name="thresholds"
    )
    fulfilment_percent = models.PositiveSmallIntegerField(_("plan fulfilment from, %"))
    rate = models.DecimalField(_("bonus rate, per cent of sales"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("bonus threshold")
        verbose_name_plural = _("bonus thresholds")
        ordering = ["scheme", "fulfilment_percent"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "fulfilment_percent"], name="paythreshold_once"),
        ]

    def __str__(self) -> str:
        return f"{self.fulfilment_percent} %: {self.rate} %"


class KpiResult(models.Model):
    """How far a manager met one KPI in a month (0-100 %), entered by the head."""

    manager = models.ForeignKey("crm.User", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    kpi = models.ForeignKey(PayKpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="results")
    achieved = models.PositiveSmallIntegerField(_("achieved, %"), validators=[MaxValueValidator(100)], default=0)

    class Meta:
        verbose_name = _("KPI result")
        verbose_name_plural = _("KPI results")
        constraints = [models.UniqueConstraint(fields=["manager", "month", "kpi"], name="kpiresult_once")]

    def __str__(self) -> str:
        return f"{self.manager_id} {self.month}: {self.achieved} %"
