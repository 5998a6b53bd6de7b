"""The head's reference lists: loss reasons, market segments, product categories and the stage probabilities.

A row something uses is never deleted (the deals, clients and products keep pointing at it); it is deactivated, and
stops being offered for new work. Every change is in the change log.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update
from crm.models import ChangeLog, Deal, LostReason, MarketSegment, ProductCategory, StageProbability, User
from crm.rules.stages import DEFAULT_PROBABILITY, OPEN_STAGES, PIPELINE

from .history import changelog_record, snapshot

ListItem = LostReason | MarketSegment | ProductCategory

REASON_FIELDS = ("name", "sort_order", "is_active")
SEGMENT_FIELDS = ("name", "description", "is_active")
CATEGORY_FIELDS = ("name", "parent", "is_active")


def _require_head(by: User) -> None:
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head keeps the reference lists."))


def _clean_name(value: Any) -> str:
    return " ".join(str(value or "").split())


def _check_name_free(model: type[models.Model], name: str, exclude_pk: int | None) -> None:
    if not name:
        raise ValidationError({"name": [_("Give a name.")]})
    if model._default_manager.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": [_("The list already has “%(name)s”.") % {"name": name}]})


def _check_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in sorted(unknown)})


def usages(item: models.Model) -> dict[str, int]:
    """What points at `item`, as {the pointing rows' plural name: how many}; empty when nothing uses it."""
    found: Counter[str] = Counter()
    for relation in item._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        related = relation.related_model
        count = related._base_manager.filter(**{relation.field.name: item}).count()  # type: ignore[union-attr]
        if count:
            found[str(related._meta.verbose_name_plural)] += count  # type: ignore[union-attr]
    return dict(found)


def _create(*, by: User, item: ListItem) -> ListItem:
    item.full_clean()
    item.save()
    changelog_record(obj=item, by=by, action=ChangeLog.Action.CREATE)
    return item


def _update(*, by: User, item: ListItem, data: Mapping[str, Any]) -> ListItem:
    before = snapshot(item)
    model_update(instance=item, data=dict(data))
    changelog_record(obj=item, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return item


def _locked(item: ListItem) -> Any:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


@transaction.atomic
def list_item_delete(*, by: User, item: ListItem) -> None:
    """Delete a row nothing uses; a row in use is refused with what uses it (deactivate it instead)."""
    _require_head(by)
    item = _locked(item)
    used = usages(item)
    if used:
        uses = ", ".join(f"{name}: {count}" for name, count in used.items())
        raise ValidationError(
            _("“%(name)s” is in use (%(uses)s) and cannot be deleted; deactivate it instead.")
            % {"name": item, "uses": uses}
        )
    changelog_record(obj=item, by=by, action=ChangeLog.Action.DELETE)
    try:
        with transaction.atomic():
            item.delete()
    except (ProtectedError, RestrictedError) as exc:  # something started using it after the count
        raise ValidationError(
            _("“%(name)s” is in use and cannot be deleted; deactivate it instead.") % {"name": item}
        ) from exc


@transaction.atomic
def list_item_set_active(*, by: User, item: ListItem, is_active: bool) -> ListItem:
    """Deactivate (no longer offered for new work; what uses it keeps it) or make active again."""
    _require_head(by)
    return _update(by=by, item=_locked(item), data={"is_active": is_active})


# --- Loss reasons ----------------------------------------------------------------------------------------------


@transaction.atomic
def lost_reason_create(*, by: User, name: str, sort_order: int = 0, is_active: bool = True) -> LostReason:
    _require_head(by)
    name = _clean_name(name)
    _check_name_free(LostReason, name, None)
    reason = LostReason(name=name, sort_order=sort_order, is_active=is_active)
    _create(by=by, item=reason)
    return reason


@transaction.atomic
def lost_reason_update(*, by: User, reason: LostReason, data: Mapping[str, Any]) -> LostReason:
    _require_head(by)
    _check_fields(data, REASON_FIELDS)
    reason = _locked(reason)
    data = dict(data)
    if "name" in data:
        data["name"] = _clean_name(data["name"])
        _check_name_free(LostReason, data["name"], reason.pk)
    _update(by=by, item=reason, data=data)
    return reason


# --- Market segments -------------------------------------------------------------------------------------------


@transaction.atomic
def segment_create(*, by: User, name: str, description: str = "", is_active: bool = True) -> MarketSegment:
    _require_head(by)
    name = _clean_name(name)
    _check_name_free(MarketSegment, name, None)
    segment = MarketSegment(name=name, description=(description or "").strip(), is_active=is_active)
    _create(by=by, item=segment)
    return segment


@transaction.atomic
def segment_update(*, by: User, segment: MarketSegment, data: Mapping[str, Any]) -> MarketSegment:
    _require_head(by)
    _check_fields(data, SEGMENT_FIELDS)
    segment = _locked(segment)
    data = dict(data)
    if "name" in data:
        data["name"] = _clean_name(data["name"])
        _check_name_free(MarketSegment, data["name"], segment.pk)
    if "description" in data:
        data["description"] = (data["description"] or "").strip()
    _update(by=by, item=segment, data=data)
    return segment


# --- Product categories ----------------------------------------------------------------------------------------


def _check_parent(category: ProductCategory | None, parent: ProductCategory | None) -> None:
    """A category cannot sit inside itself or inside one of its own subcategories."""
    if parent is None or category is None or category.pk is None:
        return
    seen: set[int] = set()
    node: ProductCategory | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == category.pk:
            raise ValidationError({"parent": [_("A category cannot sit inside itself or its own subcategory.")]})
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def category_create(
    *, by: User, name: str, parent: ProductCategory | None = None, is_active: bool = True
) -> ProductCategory:
    _require_head(by)
    name = _clean_name(name)
    _check_name_free(ProductCategory, name, None)
    category = ProductCategory(name=name, parent=parent, is_active=is_active)
    _create(by=by, item=category)
    return category


@transaction.atomic
def category_update(*, by: User, category: ProductCategory, data: Mapping[str, Any]) -> ProductCategory:
    _require_head(by)
    _check_fields(data, CATEGORY_FIELDS)
    category = _locked(category)
    data = dict(data)
    if "name" in data:
        data["name"] = _clean_name(data["name"])
        _check_name_free(ProductCategory, data["name"], category.pk)
    if "parent" in data:
        _check_parent(category, data["parent"])
    _update(by=by, item=category, data=data)
    return category


# --- Stage probabilities ---------------------------------------------------------------------------------------


def stage_probabilities_current() -> dict[str, int]:
    """The probability of each of the 14 stages: the head's value, else the default."""
    stored = dict(StageProbability.objects.values_list("stage", "probability"))
    return {code: stored.get(code, DEFAULT_PROBABILITY[code]) for code in PIPELINE}


def _whole(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else None


@transaction.atomic
def stage_probabilities_set(*, by: User, values: Mapping[str, Any]) -> dict[str, int]:
    """Set the win probability (0-100 %) of every one of the 14 stages; the open deals at a changed stage take the
    new value (a deal's probability is always its stage's: it is weighted by it in the pipeline review)."""
    _require_head(by)
    errors: dict[str, list[str]] = {}
    for code in sorted(set(values) - set(PIPELINE)):
        errors[code] = [_("There is no such stage.")]
    clean: dict[str, int] = {}
    for code in PIPELINE:
        raw = values.get(code)
        if raw is None or raw == "":
            errors[code] = [_("Give a probability from 0 to 100 %.")]
            continue
        number = _whole(raw)
        if number is None:
            errors[code] = [_("Give a whole number from 0 to 100.")]
        elif not 0 <= number <= 100:
            errors[code] = [_("The probability is from 0 to 100 %.")]
        else:
            clean[code] = number
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    rows = {row.stage: row for row in StageProbability.objects.select_for_update().filter(stage__in=PIPELINE)}
    for code, number in clean.items():
        row = rows.get(code)
        if row is None:
            row = StageProbability.objects.create(stage=code, probability=number)
            changelog_record(obj=row, by=by, action=ChangeLog.Action.CREATE)
            changed = number != DEFAULT_PROBABILITY[code]
        elif row.probability != number:
            before = snapshot(row)
            row.probability = number
            row.save(update_fields=["probability"])
            changelog_record(obj=row, by=by, action=ChangeLog.Action.UPDATE, before=before)
            changed = True
        else:
            changed = False
        if changed and code in OPEN_STAGES:
            Deal.objects.filter(stage=code).exclude(probability=number).update(
                probability=number, updated_at=now, revision=F("revision") + 1
            )
    return stage_probabilities_current()
