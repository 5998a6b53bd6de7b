"""The analytics' numbers (DOMAIN.md section 7: every threshold is a setting the head can change), one row."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
MONTHS_12 = [MaxValueValidator(12)]


class AnalyticsSettings(Versioned):
    """The thresholds of ABC/XYZ, the NPS survey, LTV and the norms of the intermediate KPIs. One row: `current()`."""

    class AbcBasis(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        MARGIN = "margin", _("Margin")

    class XyzMethod(models.TextChoices):
        MONTHS = "months", _("Months with a purchase")
        CV = "cv", _("Coefficient of variation")

    # ABC/XYZ over the last 12 full months (DOMAIN.md section 7).
    abc_basis = models.CharField(_("ABC by"), max_length=10, choices=AbcBasis.choices, default=AbcBasis.REVENUE)
    abc_a_share = models.DecimalField(
        _("A: up to this share of the cumulative revenue, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=PERCENT,
    )
    abc_b_share = models.DecimalField(
        _("B: the next share, %"), max_digits=5, decimal_places=2, default=Decimal("15"), validators=PERCENT
    )
    xyz_method = models.CharField(_("XYZ by"), max_length=10, choices=XyzMethod.choices, default=XyzMethod.MONTHS)
    xyz_x_months = models.PositiveSmallIntegerField(
        _("X: bought in at least this many of the 12 months"), default=9, validators=MONTHS_12
    )
    xyz_y_months = models.PositiveSmallIntegerField(
        _("Y: bought in at least this many of the 12 months"), default=3, validators=MONTHS_12
    )
    xyz_cv_x = models.DecimalField(
        _("X: coefficient of variation up to, %"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0)],
    )
    xyz_cv_y = models.DecimalField(
        _("Y: coefficient of variation up to, %"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("25"),
        validators=[MinValueValidator(0)],
    )
    # LTV = S x C x P x t: P when the sales history has no margin.
    default_profitability = models.DecimalField(
        _("profitability when the history has no margin, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENT,
    )
    # NPS survey.
    nps_cadence_days = models.PositiveSmallIntegerField(
        _("survey each client's contacts every N days"), default=90, validators=[MinValueValidator(7)]
    )
    nps_link_days = models.PositiveSmallIntegerField(
        _("a survey link works for N days"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    nps_reminder_days = models.PositiveSmallIntegerField(
        _("remind once, N days after a survey without an answer"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # Intermediate KPIs per manager a working day (the cold-call norm is crm's, per manager).
    meetings_norm = models.DecimalField(
        _("meetings a working day per manager"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    proposals_norm = models.DecimalField(
        _("proposals a working day per manager"), max_digits=5, decimal_places=2, default=Decimal("1")
    )

    class Meta:
        verbose_name = _("analytics settings")
        verbose_name_plural = _("analytics settings")

    def __str__(self) -> str:
        return str(_("Analytics settings"))

    @classmethod
    def current(cls) -> AnalyticsSettings:
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
