"""The nightly LTV aggregate (analytics/nightly.py `ltv_refresh`): each client's sales history figures as of a night,
so the LTV page sums stored rows instead of the whole history. The latest night and the 1st of each month are kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LtvClient(models.Model):
    as_of = models.DateField(_("as of"))
    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    revenue = models.DecimalField(_("revenue, ₽"), max_digits=16, decimal_places=2)
    purchases = models.PositiveIntegerField(_("purchases (sales documents)"))
    first_purchase = models.DateField(_("first purchase"))
    last_purchase = models.DateField(_("last purchase"))
    margin = models.DecimalField(_("margin, ₽"), max_digits=16, decimal_places=2)
    margin_revenue = models.DecimalField(_("revenue of the lines with a margin, ₽"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("client's LTV figures")
        verbose_name_plural = _("clients' LTV figures")
        constraints = [models.UniqueConstraint(fields=["as_of", "client"], name="ltvclient_one_per_night")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.as_of}"
