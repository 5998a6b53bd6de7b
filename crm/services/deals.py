"""Writes to deals: creating, moving through the 14 stages with their gates, payments, losing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import lock_for_update
from core.money import format_rub
from core.services import model_update
from crm.models import (
    Activity,
    ChangeLog,
    Client,
    ContactPerson,
    Deal,
    DealPayment,
    DealProduct,
    DealStageChange,
    LostReason,
    Product,
    StageProbability,
    User,
)
from crm.rules.stages import CONCLUDED_STAGES, DEFAULT_PROBABILITY, OPEN_STAGES, ORDER, PIPELINE, Stage, next_stage

from .history import changelog_record, snapshot
from .webhooks import webhooks_announce_payment

Problems = dict[str, str]


def _goal(deal: Deal) -> Problems:
    return {} if deal.plan_month else {"plan_month": _("Choose the month whose plan this deal counts toward.")}


def _market(deal: Deal) -> Problems:
    return {} if deal.client.segment_id else {"segment": _("Set the client's market segment.")}


def _prospect_list(deal: Deal) -> Problems:
    if deal.client.owner_id != deal.owner_id:
        owner = deal.client.owner
        if owner is None:
            return {"client": _("The client is not on this manager's list: the head must assign it first.")}
        return {"client": _("The client is worked by %(owner)s.") % {"owner": owner}}
    return {}


def _source(deal: Deal) -> Problems:
    client = deal.client
    problems: Problems = {}
    if not client.source:
        problems["source"] = _("Record where the client came from (cold or warm).")
    # DOMAIN.md section 2: the phone, the e-mail and the address, each verified (a phone is kept only as a valid
    # E.164 number and an e-mail only when well formed, so a recorded one is a checked one).
    if not client.phone:
        problems["phone"] = _("Record and verify the client's phone.")
    if not client.email:
        problems["email"] = _("Record and verify the client's e-mail.")
    if not client.address.strip():
        problems["address"] = _("Record and verify the client's address.")
    return problems


def _first_contact(deal: Deal) -> Problems:
    problems: Problems = {}
    if not ContactPerson.objects.filter(
        client_id=deal.client_id, decision_role=ContactPerson.DecisionRole.DECISION_MAKER
    ).exists():
        problems["decision_maker"] = _("Add the decision maker to the client's contact persons.")
    if not deal.activities.filter(
        kind__in=[Activity.Kind.CALL, Activity.Kind.MEETING, Activity.Kind.EMAIL], done_at__isnull=False
    ).exists():
        problems["activity"] = _("Log the call, meeting or e-mail in which the decision maker was reached.")
    return problems


def _meeting_prep(deal: Deal) -> Problems:
    problems: Problems = {}
    if not deal.activities.filter(kind=Activity.Kind.MEETING, due_at__isnull=False).exists():
        problems["meeting"] = _("Schedule the first meeting.")
    if not deal.meeting_prep_note.strip():
        problems["meeting_prep_note"] = _("Write the meeting preparation note.")
    return problems


def _first_meeting(deal: Deal) -> Problems:
    problems: Problems = {}
    if not deal.activities.filter(kind=Activity.Kind.MEETING, done_at__isnull=False).exists():
        problems["meeting"] = _("Mark the meeting as held.")
    if not deal.needs.strip():
        problems["needs"] = _("Record the client's needs.")
    return problems


def _proposal(deal: Deal) -> Problems:
    problems: Problems = {}
    if not deal.proposal_amount or deal.proposal_amount <= 0:
        problems["proposal_amount"] = _("Enter the proposal amount.")
    # The document: the file as sent, or its number and date (the date it was sent).
    if deal.proposal_file:
        return problems
    if not deal.proposal_document.strip():
        problems["proposal_document"] = _("Attach the proposal file, or enter its document number and date.")
    if not deal.proposal_sent_on:
        problems["proposal_sent_on"] = _("Enter the date the proposal was sent (or attach the proposal file).")
    return problems


def _repeat_meeting(deal: Deal) -> Problems:
    problems: Problems = {}
    if not deal.agreed_amount or deal.agreed_amount <= 0:
        problems["agreed_amount"] = _("Enter the agreed price.")
    if not deal.payment_terms.strip():
        problems["payment_terms"] = _("Enter the agreed payment terms.")
    return problems


def _contract(deal: Deal) -> Problems:
    problems: Problems = {}
    required = {
        "contract_number": _("Enter the contract number."),
        "contract_date": _("Enter the contract date."),
        "invoice_number": _("Enter the invoice number."),
        "invoice_date": _("Enter the invoice date."),
    }
    for field, message in required.items():
        if not getattr(deal, field):
            problems[field] = message
    if not deal.invoice_amount or deal.invoice_amount <= 0:
        problems["invoice_amount"] = _("Enter the invoice amount.")
    return problems


def _payment(deal: Deal) -> Problems:
    if deal.invoice_amount and deal.paid_amount >= deal.invoice_amount:
        return {}
    return {
        "payments": _("The invoice is not paid in full: %(paid)s of %(total)s received.")
        % {"paid": format_rub(deal.paid_amount), "total": format_rub(deal.invoice_amount or 0)}
    }


def _fulfilment(deal: Deal) -> Problems:
    return {} if deal.fulfilled_on else {"fulfilled_on": _("Enter the date the delivery or service was completed.")}


def _closing(deal: Deal) -> Problems:
    problems: Problems = {}
    if not deal.closing_document_number.strip():
        problems["closing_document_number"] = _("Enter the closing documents (invoice-factura, waybill or act).")
    if not deal.closing_signed_on:
        problems["closing_signed_on"] = _("Enter the date the closing documents were signed.")
    return problems


# What must be true to leave a stage: DOMAIN.md section 2, "the stage is done when".
GATES: dict[str, Callable[[Deal], Problems]] = {
    Stage.GOAL: _goal,
    Stage.MARKET: _market,
    Stage.PROSPECT_LIST: _prospect_list,
    Stage.SOURCE: _source,
    Stage.FIRST_CONTACT: _first_contact,
    Stage.MEETING_PREP: _meeting_prep,
    Stage.FIRST_MEETING: _first_meeting,
    Stage.PROPOSAL: _proposal,
    Stage.REPEAT_MEETING: _repeat_meeting,
    Stage.CONTRACT: _contract,
    Stage.PAYMENT: _payment,
    Stage.FULFILMENT: _fulfilment,
    Stage.CLOSING: _closing,
}

# The deal's own fields a move may carry, by the stage being left (the small form of the board).
MOVE_FIELDS: dict[str, tuple[str, ...]] = {
    Stage.GOAL: ("plan_month",),
    Stage.MEETING_PREP: ("meeting_prep_note",),
    Stage.FIRST_MEETING: ("needs",),
    Stage.PROPOSAL: ("proposal_amount", "proposal_document", "proposal_sent_on"),
    Stage.REPEAT_MEETING: ("agreed_amount", "payment_terms"),
    Stage.CONTRACT: ("contract_number", "contract_date", "invoice_number", "invoice_date", "invoice_amount"),
    Stage.FULFILMENT: ("fulfilled_on",),
    Stage.CLOSING: ("closing_document_number", "closing_signed_on"),
}
ALL_MOVE_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for fields in MOVE_FIELDS.values() for f in fields))


def stage_probability(stage: str) -> int:
    row = StageProbability.objects.filter(stage=stage).values_list("probability", flat=True).first()
    return row if row is not None else DEFAULT_PROBABILITY[stage]


def can_change_deal(user: User, deal: Deal) -> bool:
    return Deal.objects.visible_to(user).filter(pk=deal.pk).exists()


def stage_move_problems(*, deal: Deal, to_stage: str, by: User, reason: str = "") -> Problems:
    """Everything that stops `by` moving `deal` to `to_stage` now, by field; empty when the move is allowed."""
    if to_stage == Stage.LOST:
        return {"stage": _("Use “Mark as lost” with a reason to lose a deal.")}
    if to_stage not in ORDER:
        return {"stage": _("Unknown stage “%(stage)s”.") % {"stage": to_stage}}
    target = Stage(to_stage).label
    if deal.stage == to_stage:
        return {"stage": _("The deal is already at “%(stage)s”.") % {"stage": target}}
    if deal.stage == Stage.LOST:
        if not by.is_head:
            return {"stage": _("Only the sales head can reopen a lost deal.")}
        if ORDER[to_stage] > ORDER.get(deal.lost_from_stage, 1):
            return {"stage": _("A lost deal reopens at the stage where it was lost or earlier.")}
        if not reason.strip():
            return {"reason": _("Say why the deal is reopened.")}
        return {}
    if ORDER[to_stage] < ORDER[deal.stage]:
        if not by.is_head:
            return {
                "stage": _("Deals do not move back: only the sales head can return a deal to “%(stage)s”.")
                % {"stage": target}
            }
        if not reason.strip():
            return {"reason": _("Say why the deal goes back to “%(stage)s”.") % {"stage": target}}
        return {}
    expected = next_stage(deal.stage)
    if to_stage != expected:
        return {
            "stage": _("Stages cannot be skipped: the next stage is “%(next)s”, not “%(target)s”.")
            % {"next": Stage(expected).label if expected else "-", "target": target}
        }
    return GATES[deal.stage](deal)


def _record_stage_change(
    *, deal: Deal, from_stage: str, to_stage: str, by: User, at: datetime, reason: str = "", backward: bool = False
) -> None:
    DealStageChange.objects.create(
        deal=deal, from_stage=from_stage, to_stage=to_stage, by=by, at=at, reason=reason, is_backward=backward
    )


@transaction.atomic
def deal_create(
    *,
    by: User,
    client: Client,
    title: str,
    owner: User | None = None,
    amount: Decimal = Decimal("0"),
    expected_close_date: date | None = None,
    plan_month: date | None = None,
    products: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
    uuid: UUID | None = None,
) -> Deal:
    """Open a deal at `goal` for a client the user may work; `uuid`: the one the client app gave it, if any."""
    now = now or timezone.now()
    if not Client.objects.visible_to(by).filter(pk=client.pk).exists() or not by.works_in_sales:
        raise PermissionDenied(_("You may not open deals for this client."))
    owner = owner or (by if by.is_seller else client.owner)
    if owner is None:
        raise ValidationError({"owner": [_("Choose the manager who works this deal.")]})
    if not owner.is_seller:
        raise ValidationError({"owner": [_("Only a sales manager or a team lead can own deals.")]})
    if not by.acts_for(owner):
        raise ValidationError({"owner": [_("You may not open deals for this manager.")]})
    if amount < 0:
        raise ValidationError({"amount": [_("The amount cannot be negative.")]})
    deal = Deal(
        client=client,
        owner=owner,
        title=title,
        amount=amount,
        expected_close_date=expected_close_date,
        plan_month=plan_month.replace(day=1) if plan_month else None,
        stage=Stage.GOAL,
        probability=stage_probability(Stage.GOAL),
        stage_changed_at=now,
    )
    if uuid is not None:
        deal.uuid = uuid
    lines = _lines_of(products or [])
    if lines:
        deal.amount = _lines_total(lines)
    deal.full_clean()
    deal.save()
    _lines_replace(deal, lines)
    _record_stage_change(deal=deal, from_stage="", to_stage=Stage.GOAL, by=by, at=now)
    extra = {"products": [None, _lines_text(lines)]} if lines else None
    changelog_record(obj=deal, by=by, action=ChangeLog.Action.CREATE, extra=extra)
    return deal


def _lines_of(products: list[dict[str, Any]]) -> list[DealProduct]:
    """Unsaved product lines, each checked; a bad one is refused under `products` with its number."""
    lines = []
    for number, item in enumerate(products, start=1):
        product = item["product"] if isinstance(item["product"], Product) else Product.objects.get(pk=item["product"])
        price = item.get("price")
        line = DealProduct(
            product=product, quantity=item.get("quantity", 1), price=product.price if price is None else price
        )
        try:
            line.full_clean(exclude=["deal"])
        except ValidationError as exc:
            raise ValidationError(
                {"products": [_("Line %(number)s: %(error)s") % {"number": number, "error": " ".join(exc.messages)}]}
            ) from None
        lines.append(line)
    return lines


def _lines_total(lines: list[DealProduct]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0"))


def _lines_text(lines: Any) -> str:
    """The lines as the change log keeps them: `Product × 2 × 150.00; ...`."""
    return "; ".join(f"{line.product} × {line.quantity.normalize():f} × {line.price}" for line in lines)


def _lines_replace(deal: Deal, lines: list[DealProduct]) -> None:
    deal.lines.all().delete()
    for line in lines:
        line.deal = deal
    DealProduct.objects.bulk_create(lines)


def _clean_deal(deal: Deal) -> None:
    if deal.plan_month:
        deal.plan_month = deal.plan_month.replace(day=1)
    deal.full_clean()


@transaction.atomic
def deal_update(*, deal: Deal, by: User, data: dict[str, Any], products: list[dict[str, Any]] | None = None) -> Deal:
    """Change a deal's details; the stage changes only by moving, the manager only by the head. `products`, when
    given, replace the deal's lines, and the amount becomes their sum (an empty list keeps the amount as given)."""
    if not can_change_deal(by, deal):
        raise PermissionDenied(_("You may not change this deal."))
    if "stage" in data:
        raise ValidationError({"stage": [_("The stage changes only by moving the deal.")]})
    if "owner" in data and not by.is_head:
        raise ValidationError({"owner": [_("Only the sales head gives a deal to another manager.")]})
    # The row as it is now, locked: a stage move or another edit in between is neither undone nor misjudged.
    lock_for_update(deal)
    data = dict(data)
    reason = (data.pop("invoice_reason", "") or "").strip()
    invoice_changes = "invoice_amount" in data and data["invoice_amount"] != deal.invoice_amount
    if invoice_changes and deal.stage in CONCLUDED_STAGES:
        # Past the contract the invoice is what the client owes: a manager could otherwise shrink it, pay the rest
        # and call the deal won (DOMAIN.md section 2).
        if not by.is_head:
            raise ValidationError(
                {"invoice_amount": [_("After the contract only the sales head changes the invoice amount.")]}
            )
        if not reason:
            raise ValidationError({"invoice_reason": [_("Say why the invoice amount changes.")]})
    before = snapshot(deal)
    extra: dict[str, list[Any]] | None = None
    lines: list[DealProduct] = []
    if products is not None:
        lines = _lines_of(products)
        if lines:
            data["amount"] = _lines_total(lines)
        extra = {"products": [_lines_text(deal.lines.select_related("product")), _lines_text(lines)]}
    changed = model_update(instance=deal, data=data, clean=_clean_deal)
    if extra is not None and extra["products"][0] != extra["products"][1]:
        _lines_replace(deal, lines)
        if not changed:
            deal.save(update_fields=["updated_at"])  # the lines are the deal's: a new revision for whoever edits it
    log = changelog_record(obj=deal, by=by, action=ChangeLog.Action.UPDATE, before=before, extra=extra)
    if log is not None and invoice_changes and reason:
        log.changes["invoice_reason"] = [None, reason]
        log.save(update_fields=["changes"])
    return deal


@transaction.atomic
def deal_move_stage(
    *,
    deal: Deal,
    to_stage: str,
    by: User,
    reason: str = "",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Deal:
    """Move a deal one stage forward once the current stage is done (or back, by the head, with a reason); a deal
    already at `to_stage` comes back unchanged."""
    now = now or timezone.now()
    if not can_change_deal(by, deal):
        raise PermissionDenied(_("You may not change this deal."))
    deal = Deal.objects.select_for_update().select_related("client").get(pk=deal.pk)
    if deal.stage == to_stage and to_stage in ORDER and to_stage != Stage.LOST:
        # The move is done already (a phone re-sending it after a lost answer): nothing changes, nothing is refused.
        return deal
    before = snapshot(deal)
    data = data or {}
    allowed = MOVE_FIELDS.get(deal.stage, ())
    extra = set(data) - set(allowed)
    if extra:
        raise ValidationError(
            {
                field: [_("This field is not filled in when leaving “%(stage)s”.") % {"stage": Stage(deal.stage).label}]
                for field in sorted(extra)
            }
        )
    for field, value in data.items():
        setattr(deal, field, value)
    if deal.plan_month:
        deal.plan_month = deal.plan_month.replace(day=1)
    problems = stage_move_problems(deal=deal, to_stage=to_stage, by=by, reason=reason)
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})
    from_stage = deal.stage
    backward = from_stage == Stage.LOST or ORDER[to_stage] < ORDER[from_stage]
    deal.stage = to_stage
    deal.stage_changed_at = now
    deal.probability = stage_probability(to_stage)
    if from_stage == Stage.LOST:
        deal.lost_reason = None
        deal.lost_from_stage = ""
        deal.lost_note = ""
    if to_stage == Stage.FULFILMENT and not backward:
        deal.won_at = now
    if to_stage == Stage.ACCOUNT:
        deal.closed_at = now
    if backward and ORDER[to_stage] <= ORDER[Stage.PAYMENT]:
        deal.won_at = None
        deal.closed_at = None
    deal.full_clean()
    deal.save()
    _record_stage_change(
        deal=deal, from_stage=from_stage, to_stage=to_stage, by=by, at=now, reason=reason.strip(), backward=backward
    )
    changelog_record(obj=deal, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return deal


@transaction.atomic
def deal_lose(*, deal: Deal, reason: LostReason, by: User, note: str = "", now: datetime | None = None) -> Deal:
    """Mark an open deal lost with a reason from the head's list."""
    now = now or timezone.now()
    if not can_change_deal(by, deal):
        raise PermissionDenied(_("You may not change this deal."))
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.stage not in OPEN_STAGES:
        if deal.stage == Stage.LOST:
            raise ValidationError({"stage": [_("The deal is already lost.")]})
        raise ValidationError({"stage": [_("A deal whose invoice is paid is won and cannot be lost.")]})
    if not reason.is_active:
        raise ValidationError({"reason": [_("This reason is no longer in use: choose another one.")]})
    before = snapshot(deal)
    from_stage = deal.stage
    deal.stage = Stage.LOST
    deal.lost_from_stage = from_stage
    deal.lost_reason = reason
    deal.lost_note = note.strip()
    deal.stage_changed_at = now
    deal.probability = 0
    deal.closed_at = now
    deal.save()
    _record_stage_change(deal=deal, from_stage=from_stage, to_stage=Stage.LOST, by=by, at=now, reason=reason.name)
    changelog_record(obj=deal, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return deal


@transaction.atomic
def deal_register_payment(
    *, deal: Deal, amount: Decimal, paid_on: date, by: User, document_number: str = ""
) -> DealPayment:
    """Record a (possibly partial) payment against the deal's invoice."""
    if not can_change_deal(by, deal):
        raise PermissionDenied(_("You may not change this deal."))
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.stage not in (Stage.CONTRACT, Stage.PAYMENT):
        raise ValidationError({"stage": [_("Payments are recorded at the contract and payment stages.")]})
    if not deal.invoice_amount:
        raise ValidationError({"invoice_amount": [_("Enter the invoice first.")]})
    if amount <= 0:
        raise ValidationError({"amount": [_("A payment must be more than zero.")]})
    due = deal.invoice_amount - deal.paid_amount
    if amount > due:
        raise ValidationError(
            {"amount": [_("The payment exceeds what is due on the invoice (%(due)s).") % {"due": due}]}
        )
    payment = DealPayment.objects.create(
        deal=deal, amount=amount, paid_on=paid_on, by=by, document_number=document_number
    )
    deal.paid_amount = deal.paid_amount + amount
    deal.save(update_fields=["paid_amount", "updated_at"])
    webhooks_announce_payment(payment=payment, deal=deal, by=by)
    return payment


def pipeline_stages() -> list[tuple[str, str]]:
    return [(code, str(Stage(code).label)) for code in PIPELINE]


@transaction.atomic
def deal_delete(*, deal: Deal, by: User) -> None:
    """Delete a deal entered by mistake: only the head, and only while no payment is recorded on it."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head deletes deals."))
    if deal.payments.exists() or deal.paid_amount:
        raise ValidationError({"non_field_errors": [_("Payments are recorded on this deal: it cannot be deleted.")]})
    changelog_record(obj=deal, by=by, action=ChangeLog.Action.DELETE)
    deal.delete()


PROPOSAL_FILE_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png")
PROPOSAL_FILE_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def deal_proposal_file_set(*, deal: Deal, by: User, file: Any) -> Deal:
    """Attach the proposal as sent (a PDF, an office document or a picture, up to 20 MB): with the amount, it lets
    the deal leave the proposal stage without a document number and date (DOMAIN.md section 2)."""
    if not can_change_deal(by, deal):
        raise PermissionDenied(_("You may not change this deal."))
    name = str(getattr(file, "name", "") or "")
    if not name.lower().endswith(PROPOSAL_FILE_TYPES):
        raise ValidationError(
            {
                "proposal_file": [
                    _("Attach a PDF, an office document or a picture (%(types)s).")
                    % {"types": ", ".join(PROPOSAL_FILE_TYPES)}
                ]
            }
        )
    if (getattr(file, "size", 0) or 0) > PROPOSAL_FILE_MAX_BYTES:
        raise ValidationError({"proposal_file": [_("The file is larger than 20 MB.")]})
    if not getattr(file, "size", 0):
        raise ValidationError({"proposal_file": [_("The file is empty.")]})
    before = snapshot(deal, ["proposal_file"])
    deal.proposal_file.save(name.rsplit("/", 1)[-1], file, save=False)
    deal.save(update_fields=["proposal_file", "updated_at"])
    changelog_record(obj=deal, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return deal
