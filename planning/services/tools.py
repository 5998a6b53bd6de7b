"""Edits of the plan tools: the head's complement map (Tool 1) and department-wide Tool 2 items; a manager's own
Tool 2 (his items added, the head's items struck out for him only)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Product, ProductCategory, User
from crm.services.history import changelog_record
from planning.models import ComplementRule, FeaturedItem, Tool2Item, Tool2Strike
from planning.rules.tools import TOOL2_PAGE_LINES
from planning.selectors.work import tool2_list


def _require_head(by: User) -> None:
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head edits the plan tools."))


@transaction.atomic
def complement_add(*, by: User, category: ProductCategory, complement: ProductCategory) -> ComplementRule:
    _require_head(by)
    if category.pk == complement.pk:
        raise ValidationError({"complement": [_("A category cannot complement itself.")]})
    if not complement.is_active:
        raise ValidationError({"complement": [_("This category is deactivated: activate it first.")]})
    if not category.is_active:
        raise ValidationError({"category": [_("This category is deactivated: activate it first.")]})
    if ComplementRule.objects.filter(category=category, complement=complement).exists():
        raise ValidationError({"complement": [_("This pair is already in the map.")]})
    rule = ComplementRule.objects.create(category=category, complement=complement)
    changelog_record(obj=rule, by=by, action=ChangeLog.Action.CREATE)
    return rule


@transaction.atomic
def complement_remove(*, by: User, rule: ComplementRule) -> None:
    _require_head(by)
    changelog_record(obj=rule, by=by, action=ChangeLog.Action.DELETE)
    rule.delete()


@transaction.atomic
def featured_item_add(
    *, by: User, product: Product, kind: str, note: str, valid_from: date, valid_to: date | None
) -> FeaturedItem:
    _require_head(by)
    if kind not in FeaturedItem.Kind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": [_("The end date cannot be before the start date.")]})
    item = FeaturedItem(product=product, kind=kind, note=note, valid_from=valid_from, valid_to=valid_to)
    item.full_clean()
    item.save()
    changelog_record(obj=item, by=by, action=ChangeLog.Action.CREATE)
    return item


@transaction.atomic
def featured_item_remove(*, by: User, item: FeaturedItem) -> None:
    _require_head(by)
    changelog_record(obj=item, by=by, action=ChangeLog.Action.DELETE)
    item.delete()


# --- A manager's own Tool 2 -----------------------------------------------------------------------------------


def _require_seller(by: User) -> None:
    if not by.is_seller:
        raise PermissionDenied(_("Only a sales manager keeps his own Tool 2."))


@transaction.atomic
def tool2_item_add(
    *, by: User, kind: str, product: Product | None = None, text: str = "", note: str = "", today: date
) -> Tool2Item:
    """Add a line to the seller's own Tool 2: a product of the catalogue or a free text, in one of the four groups;
    refused when his page would no longer fit one A4 sheet."""
    _require_seller(by)
    text, note = " ".join((text or "").split()), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in FeaturedItem.Kind.values:
        errors["kind"] = [_("Choose a group from the list.")]
    if product is None and not text:
        errors["text"] = [_("Choose a product or type the item.")]
    elif product is not None and text:
        errors["text"] = [_("Choose a product or type the item, not both.")]
    elif product is not None and not product.is_active:
        errors["product"] = [_("This product is no longer sold.")]
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=by.pk).first()  # one addition at a time per manager: the count holds
    if tool2_list(user=by, manager=by, today=today).lines >= TOOL2_PAGE_LINES:
        raise ValidationError(
            _("Your Tool 2 already fills one A4 page (%(lines)s lines): strike something out first.")
            % {"lines": TOOL2_PAGE_LINES}
        )
    item = Tool2Item(manager=by, kind=kind, product=product, text=text, note=note)
    item.full_clean()
    item.save()
    changelog_record(obj=item, by=by, action=ChangeLog.Action.CREATE)
    return item


@transaction.atomic
def tool2_item_remove(*, by: User, item: Tool2Item) -> None:
    """Remove a line the seller added himself; nobody else's (a team lead and the head only read the list)."""
    _require_seller(by)
    if item.manager_id != by.pk:
        raise PermissionDenied(_("Only the manager whose list it is changes it."))
    changelog_record(obj=item, by=by, action=ChangeLog.Action.DELETE)
    item.delete()


@transaction.atomic
def tool2_strike(*, by: User, item: FeaturedItem) -> Tool2Strike:
    """Strike one of the head's items out of the seller's own Tool 2; it stays for everyone else."""
    _require_seller(by)
    strike, created = Tool2Strike.objects.get_or_create(manager=by, item=item)
    if created:
        changelog_record(obj=strike, by=by, action=ChangeLog.Action.CREATE)
    return strike


@transaction.atomic
def tool2_unstrike(*, by: User, item: FeaturedItem) -> None:
    """Put a struck-out item of the head back on the seller's own Tool 2."""
    _require_seller(by)
    for strike in Tool2Strike.objects.filter(manager=by, item=item):
        changelog_record(obj=strike, by=by, action=ChangeLog.Action.DELETE)
        strike.delete()
