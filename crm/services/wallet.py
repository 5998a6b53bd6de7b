"""Writes of the client's yearly purchases per category (share of wallet, crm/models/wallet.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import Client, ClientCategoryPurchase, ProductCategory, User
from crm.rules.wallet import AmountError, parse_yearly_amount


@transaction.atomic
def client_category_purchase_record(
    *,
    client: Client,
    category: ProductCategory,
    yearly_amount: Decimal | str | int,
    recorded_on: date,
    source: str,
    by: User,
    note: str = "",
) -> ClientCategoryPurchase:
    """Record what the client buys of `category` a year from all its suppliers, in roubles.

    Each recording is a new row (the history stays); the latest per (client, category) is the current figure. The
    same person correcting the same day's figure from the same source (the questionnaire saves as it is typed)
    corrects that row instead of adding one.

    From the card, `by` must see the client in crm. From the questionnaire, its caller (vip) has checked that `by`
    fills that questionnaire: a programme colleague who does not own the client records the client's figure there."""
    if source not in ClientCategoryPurchase.Source.values:
        raise ValidationError({"source": [_("Unknown source of the figure.")]})
    if source == ClientCategoryPurchase.Source.CARD and not Client.objects.visible_to(by).filter(pk=client.pk).exists():
        raise PermissionDenied(_("You do not work with this client."))
    if not category.is_active:
        raise ValidationError({"category": [_("The category is no longer in the catalogue.")]})
    try:
        amount = parse_yearly_amount(yearly_amount)
    except AmountError:
        raise ValidationError(
            {"yearly_amount": [_("Enter the yearly purchases in roubles, a number from 0 up to a trillion.")]}
        ) from None
    latest = (
        ClientCategoryPurchase.objects.select_for_update()
        .filter(client=client, category=category)
        .order_by("-recorded_on", "-id")
        .first()
    )
    if (
        latest is not None
        and latest.recorded_on == recorded_on
        and latest.source == source
        and latest.recorded_by_id == by.pk
    ):
        latest.yearly_amount, latest.note = amount, note[:255]
        latest.save(update_fields=["yearly_amount", "note", "updated_at"])
        return latest
    return ClientCategoryPurchase.objects.create(
        client=client,
        category=category,
        yearly_amount=amount,
        recorded_on=recorded_on,
        source=source,
        recorded_by=by,
        note=note[:255],
    )
