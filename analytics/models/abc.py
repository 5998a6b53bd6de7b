"""ABC/XYZ classes of clients, one row per client per month (the month the classification is as of: the 12 full
months before it), kept so that the history and the month-over-month transitions are there."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ABC_CHOICES = [("A", "A"), ("B", "B"), ("C", "C")]
XYZ_CHOICES = [("X", "X"), ("Y", "Y"), ("Z", "Z")]


class ClientAbc(models.Model):
    """Written only by the nightly job `abc_xyz_refresh` (set-based), never by a form."""

    month = models.DateField(_("month"))
    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    abc = models.CharField("ABC", max_length=1, choices=ABC_CHOICES)
    xyz = models.CharField("XYZ", max_length=1, choices=XYZ_CHOICES)
    cell = models.CharField(_("cell"), max_length=2)
    basis = models.CharField(_("ABC by"), max_length=10)
    revenue = models.DecimalField(_("revenue over 12 months, ₽"), max_digits=16, decimal_places=2)
    margin = models.DecimalField(_("margin over 12 months, ₽"), max_digits=16, decimal_places=2)
    months_bought = models.PositiveSmallIntegerField(_("months with a purchase"))
    cv = models.DecimalField(_("coefficient of variation, %"), max_digits=10, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank"))
    cumulative_share = models.DecimalField(_("cumulative share, %"), max_digits=8, decimal_places=4)

    class Meta:
        verbose_name = _("ABC/XYZ class")
        verbose_name_plural = _("ABC/XYZ classes")
        constraints = [models.UniqueConstraint(fields=["client", "month"], name="clientabc_client_month")]
        indexes = [models.Index(fields=["month", "cell"], name="clientabc_month_cell")]

    def __str__(self) -> str:
        return f"{self.cell} {self.month:%m.%Y}"
