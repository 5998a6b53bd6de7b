"""What key clients would buy if we stocked it (DOMAIN.md section 4, seed 001 3.1 C): the manager's requests
and the head's answers."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.querysets import OwnedQuerySet


class StockRequestQuerySet(OwnedQuerySet["StockRequest"]):
    """A seller sees the requests of the clients he owns (a team lead his team's); the head and the admin see all."""

    owner_paths = ("client__owner",)


class StockRequest(models.Model):
    """One thing a client asked us to stock: a catalogue product, a whole category, or (not in the catalogue yet)
    an item named in words; exactly one of the three."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the head")
        ORDERED = "ordered", _("Ordered")
        REFUSED = "refused", pgettext_lazy("stock request", "Refused")

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="stock_requests"
    )
    product = models.ForeignKey(
        "crm.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "crm.ProductCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item_name = models.CharField(
        _("item not in the catalogue"),
        max_length=255,
        blank=True,
        help_text=_("Only when the product is not in the catalogue yet."),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit = models.CharField(_("unit"), max_length=16, default="шт")
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(
        "crm.User", verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        "crm.User", verbose_name=_("answered by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = StockRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock request")
        verbose_name_plural = _("stock requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="stockrequest_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, category__isnull=True, item_name="")
                    | Q(product__isnull=True, category__isnull=False, item_name="")
                    | (Q(product__isnull=True, category__isnull=True) & ~Q(item_name=""))
                ),
                name="stockrequest_one_item",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stockrequest_quantity_positive"),
            models.CheckConstraint(condition=~Q(unit=""), name="stockrequest_unit_given"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "ordered", "refused"]), name="stockrequest_status"
            ),
            # Answered exactly when it is not pending; a refusal always says why.
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="stockrequest_answered_when_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(answer=""), name="stockrequest_refusal_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_label}: {self.quantity.normalize():f} {self.unit}"

    @property
    def item_label(self) -> str:
        """What was asked for, in the words the list shows."""
        if self.product_id:
            return str(self.product)
        if self.category_id:
            return str(self.category)
        return self.item_name

    @property
    def is_answered(self) -> bool:
        return self.status != self.Status.PENDING
