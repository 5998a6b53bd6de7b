"""The head's edits of the plan tools: Tool 1's complement map and Tool 2's list of featured items."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Product, ProductCategory, User
from crm.services.history import changelog_record
from planning.models import ComplementRule, FeaturedItem


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
