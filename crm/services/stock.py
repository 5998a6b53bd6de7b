"""Asking key clients what else to stock (DOMAIN.md section 4): a manager records what a client would buy, the
head answers ordered or refused, and the client's manager reads the answer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, Product, ProductCategory, StockRequest, User

from .history import changelog_record, snapshot

ANSWER_FIELDS = ["status", "answer", "answered_by_id", "answered_at"]
ANSWERS = (StockRequest.Status.ORDERED, StockRequest.Status.REFUSED)
MAX_QUANTITY = Decimal("999999999.999")
DEFAULT_UNIT = "шт"
NOTE_MAX = 2000
ANSWER_MAX = 2000


def may_request_for(by: User, client: Client) -> bool:
    """The head for any client; a seller for a client he may see (his own, his team's for a team lead)."""
    if by.is_head:
        return True
    return by.is_seller and Client.objects.visible_to(by).filter(pk=client.pk).exists()


def _quantity(value: Decimal | int | str | None) -> Decimal:
    # "1 234,5" as typed in Russian (a no-break space too) is one number.
    text = "".join(("" if value is None else str(value)).replace(",", ".").split())
    try:
        quantity: Decimal | None = Decimal(text)
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise ValidationError({"quantity": [_("Enter the quantity as a number, e.g. 20 or 2.5.")]})
    if quantity <= 0:
        raise ValidationError({"quantity": [_("The quantity must be more than zero.")]})
    if quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": [_("The quantity is too large.")]})
    if quantity != quantity.quantize(Decimal("0.001")):
        raise ValidationError({"quantity": [_("At most three digits after the decimal point.")]})
    return quantity


@transaction.atomic
def stock_request_create(
    *,
    by: User,
    client: Client,
    product: Product | None = None,
    category: ProductCategory | None = None,
    item_name: str = "",
    quantity: Decimal | int | str,
    unit: str = "",
    note: str = "",
) -> StockRequest:
    """Record what `client` asked us to stock: one of a product, a category or an item named in words."""
    if not may_request_for(by, client):
        raise PermissionDenied(_("You may not record stock requests for this client."))
    item_name = " ".join((item_name or "").split())
    given = [bool(product), bool(category), bool(item_name)]
    errors: dict[str, list[str]] = {}
    if not any(given):
        errors["product"] = [_("Choose a product or a category, or name the item if it is not in the catalogue.")]
    elif sum(given) > 1:
        errors["product"] = [_("Give only one of: a product, a category, an item not in the catalogue.")]
    if len(item_name) > 255:
        errors["item_name"] = [_("The name is too long (at most 255 characters).")]
    unit = " ".join((unit or "").split()) or (product.unit if product else "") or DEFAULT_UNIT
    if len(unit) > 16:
        errors["unit"] = [_("The unit is too long (at most 16 characters).")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note is too long (at most 2000 characters).")]
    try:
        amount = _quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stock_request = StockRequest.objects.create(
        client=client,
        product=product,
        category=category,
        item_name=item_name,
        quantity=amount,
        unit=unit,
        note=note,
        requested_by=by,
    )
    changelog_record(obj=stock_request, by=by, action=ChangeLog.Action.CREATE)
    return stock_request


@transaction.atomic
def stock_request_answer(
    *, by: User, request: StockRequest, status: str, answer: str = "", now: datetime | None = None
) -> StockRequest:
    """The head's answer: ordered, or refused with a reason. A later answer replaces the earlier one (logged)."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head answers stock requests."))
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in ANSWERS:
        errors["status"] = [_("Answer with ordered or refused.")]
    if status == StockRequest.Status.REFUSED and not answer:
        errors["answer"] = [_("Say why the client will not get it: the manager passes it on.")]
    if len(answer) > ANSWER_MAX:
        errors["answer"] = [_("The answer is too long (at most 2000 characters).")]
    if errors:
        raise ValidationError(errors)
    locked = StockRequest.objects.select_for_update().get(pk=request.pk)
    before = snapshot(locked, ANSWER_FIELDS)
    locked.status = status
    locked.answer = answer
    locked.answered_by = by
    locked.answered_at = now or timezone.now()
    locked.save(update_fields=[*ANSWER_FIELDS, "updated_at"])
    changelog_record(obj=locked, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return locked
