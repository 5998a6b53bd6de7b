"""After quality (seed 002): an item of "room to grow" or "new products" becomes a proposal (a crm deal at
`proposal`), a referral becomes a prospect checked against the base. Every write goes through crm's services."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, Product, ProspectEntry, ProspectList, User
from crm.models.activities import Activity
from crm.rules.stages import Stage
from crm.services.activities import activity_create
from crm.services.deals import deal_create, deal_move_stage
from crm.services.history import changelog_record
from crm.services.prospects import prospect_entry_add, prospect_list_create
from vip.models import Questionnaire, QuestionnaireOffer, Referral
from vip.models.programme import runs_programme
from vip.services.questionnaires import may_fill

REFERRAL_LIST_NAME = "VIP: рекомендации клиентов"


def deal_actor(questionnaire: Questionnaire) -> User:
    """Who opens the deal in crm: the employee when crm lets him open deals for the client (he then owns it),
    else the client's owner (the owner keeps the client in sales; the offer records who proposed it)."""
    employee = questionnaire.employee
    client = questionnaire.client
    if employee.is_seller and Client.objects.visible_to(employee).filter(pk=client.pk).exists():
        return employee
    if client.owner is None or not client.owner.is_active or not client.owner.is_seller:
        raise ValidationError({"deal": [_("The client has no manager in sales: the head must assign it first.")]})
    return client.owner


def _amount(raw: Any) -> Decimal:
    if raw in (None, ""):
        return Decimal("0")
    try:
        value = Decimal(str(raw).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"amount": [_("Enter the amount as a number.")]}) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise ValidationError({"amount": [_("Enter an amount from 0 up to a trillion.")]})
    return value.quantize(Decimal("0.01"))


def _walk_to_proposal(
    *, deal: Any, actor: User, questionnaire: Questionnaire, needs: str, now: datetime
) -> tuple[Any, dict[str, list[str]]]:
    """Move the deal through crm's gates up to `proposal`, with what the meeting gives: the plan month of the
    meeting, the VIP meeting as the held meeting, its note and the client's need. A gate the client's card does not
    pass (no decision maker, no verified contacts) stops the deal at that stage; crm's rules are not bent."""
    meeting_at = timezone.make_aware(datetime.combine(questionnaire.meeting_date, time(12, 0)))
    activity_create(
        by=actor,
        data={
            "client": questionnaire.client,
            "deal": deal,
            "kind": Activity.Kind.MEETING,
            "subject": _("VIP meeting with the questionnaire"),
            "due_at": meeting_at,
            "done_at": min(meeting_at, now),
        },
    )
    steps: list[tuple[str, dict[str, Any]]] = [
        (Stage.MARKET, {"plan_month": questionnaire.meeting_date.replace(day=1)}),
        (Stage.PROSPECT_LIST, {}),
        (Stage.SOURCE, {}),
        (Stage.FIRST_CONTACT, {}),
        (Stage.MEETING_PREP, {}),
        (Stage.FIRST_MEETING, {"meeting_prep_note": _("The VIP programme's meeting with the questionnaire.")}),
        (Stage.PROPOSAL, {"needs": needs}),
    ]
    for stage, data in steps:
        try:
            with transaction.atomic():
                deal = deal_move_stage(deal=deal, to_stage=stage, by=actor, data=data, now=now)
        except ValidationError as exc:
            return deal, exc.message_dict
    return deal, {}


@transaction.atomic
def offer_create(
    *, questionnaire: Questionnaire, by: User, data: dict[str, Any], now: datetime | None = None
) -> QuestionnaireOffer:
    """Turn an item of the questionnaire into a proposal: a deal for the client linked to the questionnaire."""
    now = now or timezone.now()
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee of the meeting or the VIP head makes proposals from it."))
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "")
    if kind not in QuestionnaireOffer.Kind.values:
        errors["kind"] = [_("Choose what the proposal is: a current volume or a new product.")]
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Say what is proposed.")]
    elif len(text) > 255:
        errors["text"] = [_("At most 255 characters.")]
    product = None
    raw_product = data.get("product")
    if raw_product not in (None, ""):
        if isinstance(raw_product, Product):
            product = raw_product
        else:
            try:
                product = Product.objects.filter(pk=int(str(raw_product))).first()
            except (TypeError, ValueError):
                product = None
            if product is None:
                errors["product"] = [_("No such product in the catalogue.")]
    try:
        amount = _amount(data.get("amount"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    actor = deal_actor(questionnaire)
    title = f"VIP: {text}"[:255]
    deal = deal_create(by=actor, client=questionnaire.client, title=title, owner=actor, amount=amount, now=now)
    deal, stopped_by = _walk_to_proposal(deal=deal, actor=actor, questionnaire=questionnaire, needs=text, now=now)
    offer = QuestionnaireOffer.objects.create(
        questionnaire=questionnaire, deal=deal, kind=kind, product=product, text=text, created_by=by
    )
    offer.stopped_by = stopped_by  # what the client's card lacks for `proposal` (empty when it got there)
    changelog_record(obj=offer, by=by, action=ChangeLog.Action.CREATE)
    return offer


def referral_assignee(questionnaire: Questionnaire, by: User, chosen: User | None) -> User:
    """The VIP head (or the head) gives the referral to any active seller; otherwise it goes to the employee when
    he sells, else to the referrer's owner."""
    if chosen is not None:
        if not runs_programme(by):
            raise ValidationError({"assigned_to": [_("Only the VIP head gives a referral to someone else.")]})
        if not (chosen.is_seller and chosen.is_active):
            raise ValidationError({"assigned_to": [_("A referral is given to an active sales manager or team lead.")]})
        return chosen
    if questionnaire.employee.is_seller and questionnaire.employee.is_active:
        return questionnaire.employee
    owner = questionnaire.client.owner
    if owner is None or not owner.is_seller or not owner.is_active:
        raise ValidationError({"assigned_to": [_("Choose the manager who works the referral.")]})
    return owner


def _referral_list(owner: User) -> ProspectList:
    found = ProspectList.objects.filter(owner=owner, name=REFERRAL_LIST_NAME).order_by("id").first()
    return found or prospect_list_create(by=owner, owner=owner, name=REFERRAL_LIST_NAME)


STATUS_OF_CHECK: dict[str, str] = {
    ProspectEntry.Check.FREE: Referral.Status.PROSPECT,
    ProspectEntry.Check.OWN: Referral.Status.IN_BASE,
    ProspectEntry.Check.TAKEN: Referral.Status.IN_BASE,
    ProspectEntry.Check.DUPLICATE: Referral.Status.DUPLICATE,
}


@transaction.atomic
def referral_add(
    *,
    questionnaire: Questionnaire,
    by: User,
    data: dict[str, Any],
    assigned_to: User | None = None,
    now: datetime | None = None,
) -> Referral:
    """A referral of the meeting: an entry of the assignee's prospect list "VIP: рекомендации клиентов" (source
    warm, referral), checked against the base like any prospect (INN, phone, name)."""
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee of the meeting or the VIP head adds its referrals."))
    contact = str(data.get("contact") or "").strip()
    if len(contact) > 255:
        raise ValidationError({"contact": [_("At most 255 characters.")]})
    assignee = referral_assignee(questionnaire, by, assigned_to)
    prospect_list = _referral_list(assignee)
    entry_data = {
        "name": data.get("name"),
        "inn": data.get("inn"),
        "phone": data.get("phone"),
        "source": "warm",
        "source_detail": "referral",
    }
    # The list is the assignee's own, so he adds to it (crm lets a list's owner build it).
    entry = prospect_entry_add(prospect_list=prospect_list, by=assignee, data=entry_data, now=now)
    referral = Referral.objects.create(
        questionnaire=questionnaire,
        referrer=questionnaire.client,
        name=entry.name,
        inn=entry.inn,
        phone=entry.phone,
        contact=contact,
        assigned_to=assignee,
        entry=entry,
        status=STATUS_OF_CHECK.get(entry.check_result, str(Referral.Status.PROSPECT)),
        created_by=by,
    )
    changelog_record(obj=referral, by=by, action=ChangeLog.Action.CREATE)
    return referral
