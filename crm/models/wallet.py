"""Share of wallet (DOMAIN.md section 7): what the client buys of a category a year from all its suppliers.

The figure comes from the client (the VIP questionnaire's "room to grow", or the client card); analytics divides our
12-month sales in the category by it. Every recording is a row; the latest per (client, category) is the current
figure."""

from __future__ import annotations

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core.querysets import OwnedQuerySet

from .users import Role


class ClientCategoryPurchaseQuerySet(OwnedQuerySet["ClientCategoryPurchase"]):
    """Visible as the client is: the head, the admin, the VIP head and the base manager all; a seller his (team's)
    clients'."""

    owner_paths = ("client__owner",)
    sees_all_roles = (Role.VIP_HEAD, Role.BASE_MANAGER)

    def current(self) -> ClientCategoryPurchaseQuerySet:
        """The current figure per (client, category): the latest recording (by date, then the newest row)."""
        newest = (
            ClientCategoryPurchase.objects.filter(client_id=OuterRef("client_id"), category_id=OuterRef("category_id"))
            .order_by("-recorded_on", "-id")
            .values("id")[:1]
        )
        return self.filter(id=Subquery(newest))


class ClientCategoryPurchase(models.Model):
    class Source(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("VIP questionnaire")
        CARD = "card", _("Client card")

    client = models.ForeignKey(
        "crm.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="category_purchases"
    )
    category = models.ForeignKey(
        "crm.ProductCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    yearly_amount = models.DecimalField(_("purchases of the category a year, ₽"), max_digits=14, decimal_places=2)
    recorded_on = models.DateField(_("recorded on"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        "crm.User", verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClientCategoryPurchaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("client's purchases of a category")
        verbose_name_plural = _("clients' purchases of categories")
        ordering = ["client", "category", "-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(yearly_amount__gte=0), name="category_purchase_not_negative"),
        ]
        indexes = [
            models.Index(fields=["client", "category", "recorded_on"], name="category_purchase_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}/{self.category_id}: {self.yearly_amount}"
