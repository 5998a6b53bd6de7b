"""Reads for "after quality": a questionnaire's proposals and referrals, a client's referrals (its card's panel)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from crm.models import Deal
from vip.models import Answer, QuestionnaireOffer, Referral
from vip.rules.questionnaires import Kind, Section

if TYPE_CHECKING:
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
