"""Reads for "after quality": a questionnaire's proposals and referrals, a client's referrals (its card's panel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone

from crm.models import Deal
from planning.selectors.work import tool2_list
from vip.models import Answer, QuestionnaireOffer, Referral
from vip.rules.questionnaires import Kind, Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from crm.models import Client, User
    from vip.models import Questionnaire


def questionnaire_offers(questionnaire: Questionnaire, user: User) -> list[QuestionnaireOffer]:
    """The proposals, each with `deal_visible` (the link to the deal shows only to those crm lets see it)."""
    rows = QuestionnaireOffer.objects.visible_to(user).filter(questionnaire=questionnaire)
    rows = rows.annotate(deal_visible=Exists(Deal.objects.visible_to(user).filter(pk=OuterRef("deal_id"))))
    return list(rows.select_related("deal", "product").order_by("id"))


OFFER_SECTIONS = {
    Section.GROWTH: QuestionnaireOffer.Kind.VOLUME,
    Section.NEW_PRODUCTS: QuestionnaireOffer.Kind.NEW_PRODUCT,
}


def offer_items(questionnaire: Questionnaire, offers: list[QuestionnaireOffer]) -> list[tuple[str, str]]:
    """The items the meeting gave, to turn into proposals with one press: each line of a text answer of "room to
    grow" (kind volume) and "new products" (kind new product), less those already proposed (one query)."""
    answers = Answer.objects.filter(
        questionnaire=questionnaire, question__section__in=list(OFFER_SECTIONS), question__kind=Kind.TEXT
    ).exclude(text="")
    done = {(offer.kind, offer.text) for offer in offers}
    items: list[tuple[str, str]] = []
    for section, text in answers.order_by("question__position", "question_id").values_list("question__section", "text"):
        for line in text.splitlines():
            item = (str(OFFER_SECTIONS[Section(section)]), line.strip()[:255])
            if item[1] and item not in done and item not in items:
                items.append(item)
    return items


def _referrals(user: User) -> object:
    return Referral.objects.visible_to(user).select_related("assigned_to", "entry__client__owner")


def questionnaire_referrals(questionnaire: Questionnaire, user: User) -> list[Referral]:
    return list(_referrals(user).filter(questionnaire=questionnaire).order_by("id"))  # type: ignore[attr-defined]


def client_referrals(user: User, client: Client, today: date) -> list[Referral] | None:
    """The client card's panel: the companies this client recommended and what became of them (None hides it)."""
    rows = list(_referrals(user).filter(referrer=client).order_by("-created_at", "-id"))  # type: ignore[attr-defined]
    return rows or None


@dataclass(frozen=True)
class Tool2Suggestion:
    """One line of the client's owner's Tool 2, offered as a new product to propose."""

    key: str  # "f<id>" the head's item, "o<id>" the owner's own line
    text: str
    product_id: int | None
    group: str
    note: str


def tool2_suggestions(questionnaire: Questionnaire, offers: list[QuestionnaireOffer]) -> list[Tool2Suggestion]:
    """The client's owner's Tool 2 (planning's `tool2_list`: the head's department-wide items valid today less those
    the owner struck out, then the lines he added), less what this questionnaire already proposed (three queries).

    Read as the owner: the Tool 2 is his page of what to offer his clients, and whoever fills his client's
    questionnaire (the employee, a programme colleague, the VIP head) proposes from it. None without a seller."""
    owner = questionnaire.client.owner
    if owner is None or not owner.is_active or not owner.is_seller:
        return []
    tool2 = tool2_list(user=owner, manager=owner, today=timezone.localdate())
    done = {offer.text for offer in offers if offer.kind == QuestionnaireOffer.Kind.NEW_PRODUCT}
    done_products = {offer.product_id for offer in offers if offer.product_id}
    suggestions = []
    for _kind, label, lines in tool2.groups:
        for line in lines:
            product_id = line.featured.product_id if line.featured else (line.own.product_id if line.own else None)
            key = f"f{line.featured.pk}" if line.featured else f"o{line.own.pk}" if line.own else ""
            if not key or line.name in done or (product_id and product_id in done_products):
                continue
            suggestions.append(
                Tool2Suggestion(key=key, text=line.name[:255], product_id=product_id, group=label, note=line.note)
            )
    return suggestions


def offer_prefill(request: HttpRequest, suggestions: list[Tool2Suggestion]) -> dict[str, object]:
    """The offer form's initial values from a chosen Tool 2 line (`?tool2=<key>`); an unknown key prefills nothing."""
    key = request.GET.get("tool2", "")
    for suggestion in suggestions:
        if suggestion.key == key:
            return {
                "kind": QuestionnaireOffer.Kind.NEW_PRODUCT,
                "text": suggestion.text,
                "product": suggestion.product_id,
            }
    return {}
