"""Reads for "after quality": a questionnaire's proposals and referrals, a client's referrals (its card's panel)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from vip.models import QuestionnaireOffer, Referral

if TYPE_CHECKING:
    from crm.models import Client, User
    from vip.models import Questionnaire


def questionnaire_offers(questionnaire: Questionnaire, user: User) -> list[QuestionnaireOffer]:
    rows = QuestionnaireOffer.objects.visible_to(user).filter(questionnaire=questionnaire)
    return list(rows.select_related("deal", "product").order_by("id"))


def _referrals(user: User) -> object:
    return Referral.objects.visible_to(user).select_related("assigned_to", "entry__client__owner")


def questionnaire_referrals(questionnaire: Questionnaire, user: User) -> list[Referral]:
    return list(_referrals(user).filter(questionnaire=questionnaire).order_by("id"))  # type: ignore[attr-defined]


def client_referrals(user: User, client: Client, today: date) -> list[Referral] | None:
    """The client card's panel: the companies this client recommended and what became of them (None hides it)."""
    rows = list(_referrals(user).filter(referrer=client).order_by("-created_at", "-id"))  # type: ignore[attr-defined]
    return rows or None
