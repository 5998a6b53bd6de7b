"""The department's numbers (DOMAIN.md: every number is a default the head can change), one row."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from crm.rules import numbers as N

MIN_1 = MinValueValidator(1)
MAX_DAY = MaxValueValidator(31)
# Bounds that keep every computation within the calendar and the figures meaningful: a number outside them is a
# field error on the settings page, never a date that cannot exist.
MONTHS = [MIN_1, MaxValueValidator(120)]
DAYS = [MaxValueValidator(366)]
SHARE = [MinValueValidator(0), MaxValueValidator(1)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class DepartmentSettings(Versioned):
    """The head's numbers (DOMAIN.md: every number is a default the head can change). One row: `current()`."""

    # Section 3: prospects, the 3-month rule, new clients, the long list.
    prospect_list_size = models.PositiveIntegerField(
        _("prospect list size"), default=N.PROSPECT_LIST_SIZE, validators=[MaxValueValidator(10000)]
    )
    reassign_after_months = models.PositiveSmallIntegerField(
        _("months without a concluded deal before reassignment"),
        default=N.REASSIGN_AFTER_MONTHS,
        validators=MONTHS,
    )
    rule_warning_days = models.PositiveSmallIntegerField(
        _("warn this many days before the 3-month rule"), default=N.RULE_WARNING_DAYS, validators=DAYS
    )
    reassign_extension_days = models.PositiveSmallIntegerField(
        _("days a one-time extension adds"), default=N.REASSIGN_EXTENSION_DAYS, validators=[MIN_1, *DAYS]
    )
    new_client_after_months = models.PositiveSmallIntegerField(
        _("months without a purchase that make a client new again"),
        default=N.NEW_CLIENT_AFTER_MONTHS,
        validators=MONTHS,
    )
    long_list_min = models.PositiveSmallIntegerField(
        _("long list: at least"), default=N.LONG_LIST_MIN, validators=[MaxValueValidator(1000)]
    )
    long_list_max = models.PositiveSmallIntegerField(
        _("long list: at most"), default=N.LONG_LIST_MAX, validators=[MaxValueValidator(1000)]
    )
    potential_threshold = models.DecimalField(
        _("minimum monthly potential, ₽"), max_digits=14, decimal_places=2, default=N.POTENTIAL_MONTHLY
    )
    potential_yearly_threshold = models.DecimalField(
        _("minimum yearly potential, ₽"), max_digits=14, decimal_places=2, default=N.POTENTIAL_YEARLY
    )
    default_cold_calls = models.PositiveSmallIntegerField(
        _("daily cold calls per manager"), default=N.DAILY_COLD_CALLS, validators=[MaxValueValidator(1000)]
    )
    former_buyer_months = models.PositiveSmallIntegerField(
        _("months of history that find former big buyers"), default=N.FORMER_BUYER_MONTHS, validators=MONTHS
    )
    early_in_month_days = models.PositiveSmallIntegerField(
        _("days that count as early in the month"), default=N.EARLY_IN_MONTH_DAYS, validators=[MIN_1, MAX_DAY]
    )
    # Section 4: the monthly plan and working it.
    plan_window_months = models.PositiveSmallIntegerField(
        _("months of history a plan reads"), default=N.PLAN_WINDOW_MONTHS, validators=MONTHS
    )
    regular_min_months = models.PositiveSmallIntegerField(
        _("months with purchases that make a client regular"), default=N.REGULAR_MIN_MONTHS, validators=MONTHS
    )
    one_off_share_min = models.DecimalField(
        _("one-off share: at least"), max_digits=5, decimal_places=4, default=N.ONE_OFF_SHARE_MIN, validators=SHARE
    )
    one_off_share_max = models.DecimalField(
        _("one-off share: at most"), max_digits=5, decimal_places=4, default=N.ONE_OFF_SHARE_MAX, validators=SHARE
    )
    existing_share_min = models.DecimalField(
        _("share of active sales to existing clients: at least"),
        max_digits=5,
        decimal_places=4,
        default=N.EXISTING_SHARE_MIN,
        validators=SHARE,
    )
    existing_share_max = models.DecimalField(
        _("share of active sales to existing clients: at most"),
        max_digits=5,
        decimal_places=4,
        default=N.EXISTING_SHARE_MAX,
        validators=SHARE,
    )
    gap_band_min = models.DecimalField(
        _("active sales, usual share of the target: from, %"),
        max_digits=5,
        decimal_places=2,
        default=N.GAP_BAND_MIN,
        validators=PERCENT,
    )
    gap_band_max = models.DecimalField(
        _("active sales, usual share of the target: to, %"),
        max_digits=5,
        decimal_places=2,
        default=N.GAP_BAND_MAX,
        validators=PERCENT,
    )
    cross_sell_cover = models.PositiveSmallIntegerField(
        _("cross-sell suggestions to carry, times E"),
        default=N.CROSS_SELL_COVER,
        validators=[MIN_1, MaxValueValidator(100)],
    )
    regular_calls_per_week = models.PositiveSmallIntegerField(
        _("calls a week to each regular client"), default=N.REGULAR_CALLS_PER_WEEK, validators=[MaxValueValidator(21)]
    )
    weeks_per_month = models.PositiveSmallIntegerField(
        _("weeks the monthly plan is split into"), default=N.WEEKS_PER_MONTH, validators=[MIN_1, MaxValueValidator(6)]
    )
    team_leads_set_plans = models.BooleanField(
        _("team leads set T, s and the one-off share for their team"), default=False
    )
    # Section 5: pay.
    kpis_min = models.PositiveSmallIntegerField(
        _("KPIs in a pay scheme: at least"), default=N.KPIS_MIN, validators=[MaxValueValidator(20)]
    )
    kpis_max = models.PositiveSmallIntegerField(
        _("KPIs in a pay scheme: at most"), default=N.KPIS_MAX, validators=[MaxValueValidator(20)]
    )
    thresholds_max = models.PositiveSmallIntegerField(
        _("bonus thresholds in a pay scheme: at most"),
        default=N.THRESHOLDS_MAX,
        validators=[MIN_1, MaxValueValidator(20)],
    )
    # Section 7: pipeline control.
    small_pipeline_share = models.DecimalField(
        _("a pipeline is too small below this share of the average"),
        max_digits=4,
        decimal_places=2,
        default=N.SMALL_PIPELINE_SHARE,
        validators=SHARE,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("department settings")
        verbose_name_plural = _("department settings")

    def __str__(self) -> str:
        return str(_("Department settings"))

    @classmethod
    def current(cls) -> DepartmentSettings:
        """The one accessor of the head's numbers: the saved row, or the defaults until the head saves them (a read
        writes nothing; saving the returned object creates the row)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


# The settings page, by DOMAIN.md section: each field with the rule it drives (shown under it).
SETTINGS_SECTIONS: list[tuple[Any, list[tuple[str, Any]]]] = [
    (
        _("Section 3: new clients, prospect lists, the 3-month rule"),
        [
            ("prospect_list_size", _("How many companies a manager's prospect list should hold.")),
            (
                "reassign_after_months",
                _("The 3-month rule: when an owned client with nothing concluded goes to the queue."),
            ),
            ("rule_warning_days", _("My day warns a manager this many days before the rule catches his client.")),
            ("reassign_extension_days", _("How long the head's one-time extension holds a client back.")),
            ("new_client_after_months", _("New client (cold calls, long lists, plan/fact) and lost client (nightly).")),
            ("long_list_min", _("The size of each manager's monthly long list.")),
            ("long_list_max", _("The size of each manager's monthly long list.")),
            ("potential_threshold", _("Worth the time: a company able to buy this much a month...")),
            ("potential_yearly_threshold", _("...or this much a year (either suffices).")),
            ("default_cold_calls", _("The daily cold-call norm, unless a manager has his own.")),
            ("former_buyer_months", _("How far back the long list looks for former big buyers.")),
            ("early_in_month_days", _("By when each long-list company should get its call.")),
        ],
    ),
    (
        _("Section 4: the monthly plan"),
        [
            ("plan_window_months", _("The window a plan reads; A is its turnover divided by this number.")),
            ("regular_min_months", _("Months with purchases that make a client regular.")),
            ("one_off_share_min", _("The range of the one-off share; a new plan starts at its lower end.")),
            ("one_off_share_max", _("The range of the one-off share; a new plan starts at its lower end.")),
            ("existing_share_min", _("The range of s; a new plan starts at its lower end.")),
            ("existing_share_max", _("The range of s; a new plan starts at its lower end.")),
            ("gap_band_min", _("Outside this band of T the plan page warns about G.")),
            ("gap_band_max", _("Outside this band of T the plan page warns about G.")),
            ("cross_sell_cover", _("How many times E the cross-sell list must offer.")),
            ("regular_calls_per_week", _("The week's call tracker for each regular client.")),
            ("weeks_per_month", _("Each week asks a regular client for this share of his monthly plan.")),
            ("team_leads_set_plans", _("Whether team leads set T, s and the one-off share for their team.")),
        ],
    ),
    (
        _("Section 5: pay"),
        [
            ("kpis_min", _("How many KPIs a pay scheme's soft part may have.")),
            ("kpis_max", _("How many KPIs a pay scheme's soft part may have.")),
            ("thresholds_max", _("How many bonus thresholds a pay scheme may have.")),
        ],
    ),
    (
        _("Section 7: pipeline control"),
        [("small_pipeline_share", _("The pipeline review flags a manager below this share of the average."))],
    ),
]
SETTINGS_FIELDS: tuple[str, ...] = tuple(name for _section, fields in SETTINGS_SECTIONS for name, _help in fields)


class WorkingDayOverride(models.Model):
    """The head's correction of the Russian production calendar: this day is working, or not (DOMAIN.md section 4).

    Plan/fact pace, the forecasts, the pay outlook and "per working day left" read the calendar with these applied.
    """

    day = models.DateField(_("day"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        "crm.User", verbose_name=_("set by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("working-day correction")
        verbose_name_plural = _("working-day corrections")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {'working' if self.is_working else 'day off'}"
