"""The department's numbers (DOMAIN.md: every number is a default the head can change), one row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentSettings(models.Model):
    """The head's numbers (DOMAIN.md: every number is a default the head can change). One row: `current()`."""

    prospect_list_size = models.PositiveIntegerField(_("prospect list size"), default=100)
    reassign_after_months = models.PositiveSmallIntegerField(
        _("months without a concluded deal before reassignment"), default=3, validators=[MinValueValidator(1)]
    )
    rule_warning_days = models.PositiveSmallIntegerField(_("warn this many days before the 3-month rule"), default=14)
    reassign_extension_days = models.PositiveSmallIntegerField(
        _("days a one-time extension adds"), default=30, validators=[MinValueValidator(1)]
    )
    new_client_after_months = models.PositiveSmallIntegerField(
        _("months without a purchase that make a client new again"), default=5
    )
    long_list_min = models.PositiveSmallIntegerField(_("long list: at least"), default=50)
    long_list_max = models.PositiveSmallIntegerField(_("long list: at most"), default=100)
    potential_threshold = models.DecimalField(
        _("minimum monthly potential, ₽"), max_digits=14, decimal_places=2, default=Decimal("60000")
    )
    default_cold_calls = models.PositiveSmallIntegerField(
        _("daily cold calls per manager"), default=30, validators=[MaxValueValidator(1000)]
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

    @classmethod
    def default_of(cls, name: str) -> Any:
        """The default of one setting, for a query that falls back to it in SQL."""
        return cls._meta.get_field(name).default  # type: ignore[union-attr]  # a setting is a field, never a relation
