from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.querysets import OwnedQuerySet
from crm.rules.stages import ACTIVE_STAGES, CONCLUDED_STAGES, OPEN_STAGES, ORDER, WON_STAGES, Stage

if TYPE_CHECKING:
    from .users import User


class LostReason(models.Model):
    """Why deals are lost: a list the head maintains."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("loss reason")
        verbose_name_plural = _("loss reasons")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class StageProbability(models.Model):
    """The default win probability of a stage, editable by the head."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    probability = models.PositiveSmallIntegerField(
        _("probability, %"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("stage probability")
        verbose_name_plural = _("stage probabilities")

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.probability} %"


class DealQuerySet(OwnedQuerySet["Deal"]):
    """A seller sees his deals and every deal of his clients (closed ones stay attributed to who worked them)."""

    owner_paths = ("owner", "client__owner")

    def seller_q(self, user: User) -> Q:
        # `client__owner` as a subquery of the user's clients (User.clients_q): the same rows, without the join.
        return user.owner_q("owner") | user.clients_q()

    def open(self) -> DealQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def won(self) -> DealQuerySet:
        return self.filter(stage__in=WON_STAGES)

    def active(self) -> DealQuerySet:
        """Deals that should always have a next task."""
        return self.filter(stage__in=ACTIVE_STAGES)

    def with_hygiene(self, now: datetime) -> DealQuerySet:
        """Annotate `has_open_task` and `has_overdue_task` (DOMAIN.md section 2)."""
        from .activities import Activity

        planned = Activity.objects.filter(deal=OuterRef("pk"), due_at__isnull=False, done_at__isnull=True)
        return self.annotate(has_open_task=Exists(planned), has_overdue_task=Exists(planned.filter(due_at__lt=now)))

    def without_open_task(self, now: datetime) -> DealQuerySet:
        return self.active().with_hygiene(now).filter(has_open_task=False)  # type: ignore[misc]

    def with_overdue_task(self, now: datetime) -> DealQuerySet:
        return self.active().with_hygiene(now).filter(has_overdue_task=True)  # type: ignore[misc]


class Deal(Versioned):
    client = models.ForeignKey("crm.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="deals")
    owner = models.ForeignKey("crm.User", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="deals")
    title = models.CharField(_("title"), max_length=255)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.GOAL)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2, default=Decimal("0"))
    probability = models.PositiveSmallIntegerField(
        _("probability, %"), default=5, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    expected_close_date = models.DateField(_("expected close"), null=True, blank=True)
    # Stage completion data (DOMAIN.md section 2, "the stage is done when").
    plan_month = models.DateField(_("plan month"), null=True, blank=True, help_text=_("First day of the month."))
    meeting_prep_note = models.TextField(_("meeting preparation"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    proposal_amount = models.DecimalField(
        _("proposal amount, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposal_document = models.CharField(_("proposal document"), max_length=255, blank=True)
    proposal_sent_on = models.DateField(_("proposal sent"), null=True, blank=True)
    # The proposal itself, as sent (DOMAIN.md section 2: the document is a file, or a document number and date).
    proposal_file = models.FileField(_("proposal file"), upload_to="proposals/%Y/%m/", blank=True)
    agreed_amount = models.DecimalField(_("agreed price, ₽"), max_digits=14, decimal_places=2, null=True, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=255, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=64, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoice_amount = models.DecimalField(_("invoice amount, ₽"), max_digits=14, decimal_places=2, null=True, blank=True)
    paid_amount = models.DecimalField(
        _("paid, ₽"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    closing_document_number = models.CharField(_("closing documents"), max_length=128, blank=True)
    closing_signed_on = models.DateField(_("closing documents signed"), null=True, blank=True)
    lost_reason = models.ForeignKey(
        LostReason, verbose_name=_("loss reason"), null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    lost_from_stage = models.CharField(_("lost at stage"), max_length=20, choices=Stage.choices, blank=True)
    lost_note = models.TextField(_("loss note"), blank=True)
    won_at = models.DateTimeField(_("won"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Given by the phone or the integration that creates the row, so a create sent twice makes one row (docs/api.md).
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "stage"], name="deal_owner_stage"),
            models.Index(fields=["stage", "expected_close_date"], name="deal_stage_close"),
            # The lists' default order: the first page reads the index instead of sorting every deal.
            models.Index(fields=["-updated_at", "-id"], name="deal_recent"),
            # The board's columns: the most recently moved deals of each stage.
            models.Index(fields=["stage", "-stage_changed_at", "-id"], name="deal_stage_recent"),
            # The first rows of the home and My day lists (open deals by close date, deals without a next task the
            # longest in their stage): an index scan stops after them instead of sorting every open deal.
            models.Index(fields=["expected_close_date", "-updated_at", "-id"], name="deal_close_recent"),
            models.Index(fields=["stage_changed_at", "id"], name="deal_stage_changed"),
            # The figures the board, the home, My day and the dashboard sum per stage and owner, read from the index
            # alone (a deal row is wide: its text fields make a scan of the table read 8 times the pages).
            models.Index(
                fields=["stage", "owner"],
                include=["amount", "probability", "expected_close_date", "paid_amount", "client"],
                name="deal_stage_owner_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(stage=Stage.LOST) | Q(lost_reason__isnull=False), name="deal_lost_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_number(self) -> int:
        return ORDER.get(self.stage, 0)

    @property
    def is_lost(self) -> bool:
        return self.stage == Stage.LOST

    @property
    def is_won(self) -> bool:
        return self.stage in WON_STAGES

    @property
    def is_concluded(self) -> bool:
        return self.stage in CONCLUDED_STAGES

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def weighted_amount(self) -> Decimal:
        from core.money import money_mul

        return money_mul(self.amount, Decimal(self.probability) / 100)

    @property
    def amount_due(self) -> Decimal:
        return max(Decimal("0"), (self.invoice_amount or Decimal("0")) - self.paid_amount)


class DealProduct(models.Model):
    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("crm.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=1)
    price = models.DecimalField(_("price, ₽"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("deal product")
        verbose_name_plural = _("deal products")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="dealproduct_quantity_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="dealproduct_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        from core.money import money_mul

        return money_mul(self.price, self.quantity)


class DealPayment(models.Model):
    """A payment received against the deal's invoice; several partial ones add up."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2)
    document_number = models.CharField(_("payment document"), max_length=64, blank=True)
    by = models.ForeignKey(
        "crm.User", verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="dealpayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.amount}"

    @staticmethod
    def total_for(deal: Deal) -> Decimal:
        return deal.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


# When each change was left: the `at` of the same deal's next change (by `at`, then id), NULL for the deal's latest.
# One statement for the given deals, or for every change (the migration's backfill); the same SQL on PostgreSQL and
# SQLite (window functions and UPDATE ... FROM on both).
LINK_SQL = (
    "UPDATE crm_dealstagechange SET left_at = n.next_at FROM (SELECT id, LEAD(at) OVER (PARTITION BY deal_id"
    " ORDER BY at, id) AS next_at FROM crm_dealstagechange{where}) AS n WHERE crm_dealstagechange.id = n.id"
    " AND crm_dealstagechange.left_at IS DISTINCT FROM n.next_at"
)


class DealStageChangeQuerySet(OwnedQuerySet["DealStageChange"]):
    owner_paths = ("deal__owner",)

    def link_history(self, deal_ids: Iterable[int]) -> None:
        """Set `left_at` on the history of these deals (after changes were written): one UPDATE."""
        ids = sorted(set(deal_ids))
        if not ids:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                where = f" WHERE deal_id IN ({', '.join(['%s'] * len(chunk))})"
                cursor.execute(LINK_SQL.format(where=where), chunk)

    def bulk_create(self, objs: Iterable[DealStageChange], *args: Any, **kwargs: Any) -> list[DealStageChange]:
        """Written in bulk, the changes' deals get their `left_at` linked too."""
        created = super().bulk_create(objs, *args, **kwargs)
        self.link_history(change.deal_id for change in created)
        return created


class DealStageChange(models.Model):
    """Every stage change: who, when, from, to; stage durations and cycle length are read from here."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    is_backward = models.BooleanField(_("backward"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey("crm.User", verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    # Kept by the model (save, bulk_create) and the demo generator: stays in a stage are read without a window.
    left_at = models.DateTimeField(
        _("left at"), null=True, blank=True, editable=False, help_text=_("When the deal's next change was recorded.")
    )

    objects = DealStageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage history")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["deal", "at"], name="stagechange_deal_at"),
            # The funnel (analytics/selectors/funnel.py), read index-only in stage order, with no sort: the stays
            # that ended in a period, and the deals that entered each stage in it.
            models.Index(fields=["to_stage", "left_at", "at"], name="stagechange_stage_left"),
            models.Index(fields=["to_stage", "deal", "at"], name="stagechange_stage_deal"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage} -> {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new change (or a moved one) ends the stay before it: the deal's history is linked again."""
        super().save(*args, **kwargs)
        DealStageChange.objects.link_history([self.deal_id])
