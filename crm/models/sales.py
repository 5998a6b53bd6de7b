from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.querysets import OwnedQuerySet

from .users import Role

if TYPE_CHECKING:
    pass


class SaleLineQuerySet(OwnedQuerySet["SaleLine"]):
    """A manager sees the history of the clients he owns and the lines he sold himself."""

    owner_paths = ("client__owner", "manager")
    sees_all_roles = (Role.VIP_HEAD,)

    def paid(self) -> SaleLineQuerySet:
        return self.filter(is_paid=True)


class SaleLine(models.Model):
    """One line of a sales document (реализация) as 1C exports it; what planning and analytics read."""

    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=64)
    line_no = models.PositiveIntegerField(_("line"), default=1)
    # No single-column indexes on client and manager: the (client, date) and (manager, date) indexes cover them,
    # and every index slows the import of millions of lines.
    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="sales", db_index=False
    )
    product = models.ForeignKey(
        "crm.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=1)
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2)
    margin = models.DecimalField(_("margin, ₽"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_paid = models.BooleanField(_("paid"), default=False)
    paid_date = models.DateField(_("paid on"), null=True, blank=True)
    manager = models.ForeignKey(
        "crm.User",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    import_job = models.ForeignKey(
        "crm.ImportJob",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = SaleLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales line")
        verbose_name_plural = _("sales history")
        ordering = ["-date", "document_number", "line_no"]
        constraints = [
            # The natural key of a 1C document line: re-importing a file adds nothing.
            models.UniqueConstraint(fields=["document_number", "date", "line_no"], name="saleline_document_line"),
            models.CheckConstraint(
                condition=Q(is_paid=False) | Q(paid_date__isnull=False), name="saleline_paid_has_date"
            ),
        ]
        indexes = [
            # The monthly and 12-month windows filter by client or manager and a date range; covering the amount,
            # the margin and the document, a client's turnover over a window (long lists, win-backs, the 3-month
            # rule, ABC/XYZ) and its history figures (LTV) are read from the index alone, in client order.
            models.Index(
                fields=["client", "date"],
                include=["amount", "margin", "document_number"],
                name="saleline_client_date_cover",
            ),
            models.Index(fields=["manager", "date"], name="saleline_manager_date"),
            models.Index(fields=["date"], name="saleline_date"),
            # Plan/fact and pay count the money received by day.
            models.Index(fields=["paid_date"], condition=Q(is_paid=True), name="saleline_paid_date"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number}/{self.line_no} {self.date:%d.%m.%Y}"
