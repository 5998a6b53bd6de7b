"""The standard questionnaire of seed 002 (an internet provider's, as in the seed), for a VIP head to start from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import User
from vip.models import Question, QuestionnaireTemplate
from vip.models.programme import runs_programme
from vip.rules.questionnaires import Kind, Rule, Section


def standard_questions() -> list[dict[str, object]]:
    """The seed's sections in its order, with its two quality checks (speed not below contract, no failure)."""
    return [
        {"section": Section.COMPANY, "text": _("Who took part in the meeting on the client's side"), "kind": Kind.TEXT},
        {
            "section": Section.CONTACTS,
            "text": _("Are the key persons on the card still in place?"),
            "kind": Kind.YES_NO,
        },
        {"section": Section.CONTACTS, "text": _("New key persons and their contacts"), "kind": Kind.TEXT},
        {"section": Section.CARNEGIE, "text": _("What is the company proud of this year?"), "kind": Kind.TEXT},
        {"section": Section.CARNEGIE, "text": _("How did the company get where it is?"), "kind": Kind.TEXT},
        {"section": Section.COOPERATION, "text": _("What do you buy from us and for what?"), "kind": Kind.TEXT},
        {
            "section": Section.QUALITY,
            "text": _("Is the speed not below the one in the contract?"),
            "kind": Kind.YES_NO,
            "rule": Rule.MUST_BE_YES,
        },
        {
            "section": Section.QUALITY,
            "text": _("Do you remember a failure in the last month?"),
            "kind": Kind.YES_NO,
            "rule": Rule.NO_FAILURE_MONTH,
        },
        {
            "section": Section.QUALITY,
            "text": _("Measured speed, Mbit/s"),
            "kind": Kind.NUMBER,
            "rule": Rule.MIN,
            "limit": Decimal(100),
        },
        {"section": Section.GROWTH, "text": _("Where could the current volumes grow?"), "kind": Kind.TEXT},
        # The client's yearly purchases are asked per category below the section's questions
        # (templates/vip/_growth.html, kept in crm's ClientCategoryPurchase); the one-figure question of
        # version 1 stays on the templates that have it.
        {
            "section": Section.NEW_PRODUCTS,
            "text": _("Which of our new products interest the client?"),
            "kind": Kind.TEXT,
        },
        {
            "section": Section.REFERRALS,
            "text": _("Who of the client's acquaintances may need our products (name, company, phone)?"),
            "kind": Kind.TEXT,
        },
        {
            "section": Section.RECOMMEND,
            "text": _("How likely are you to recommend us to a colleague, from 0 to 10?"),
            "kind": Kind.SCORE,
        },
    ]


@transaction.atomic
def template_standard_create(*, by: User) -> QuestionnaireTemplate:
    """Version 1 of the standard questionnaire (or the current one, if the VIP head has made it already)."""
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head keeps the questionnaire templates."))
    name = _("VIP questionnaire")
    existing = QuestionnaireTemplate.objects.filter(is_current=True).first()
    if existing is not None:
        return existing
    template = QuestionnaireTemplate.objects.create(name=name, version=1, is_current=True, created_by=by)
    Question.objects.bulk_create(
        [Question(template=template, position=index, **data) for index, data in enumerate(standard_questions())]  # type: ignore[arg-type]
    )
    return template
