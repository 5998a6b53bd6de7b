"""The questionnaire templates (seed 002 step 5): the standard questionnaire for a VIP head to start from, and the
VIP head's edits of a version (add, change, remove, move a question). A version any questionnaire was filled on is
never changed: the edit goes into a new version (a copy of its questions with the change), which becomes current."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import User
from vip.models import Question, QuestionnaireTemplate
from vip.models.programme import runs_programme
from vip.rules.questionnaires import SECTION_ORDER, Kind, Rule, Section, question_errors


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


@dataclass(frozen=True)
class TemplateEdit:
    """What an edit did: the version it went into, the question it made or changed (None after a removal), and
    the version it was asked on when that one was in use and a new version was made instead."""

    template: QuestionnaireTemplate
    question: Question | None
    copied_from: QuestionnaireTemplate | None = None


QUESTION_FIELDS = ("section", "position", "text", "kind", "choices", "rule", "limit")


def _may_keep(by: User) -> None:
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head keeps the questionnaire templates."))


def _editable(template: QuestionnaireTemplate, by: User) -> tuple[QuestionnaireTemplate, dict[int, Question], bool]:
    """The version to write into, with its questions by the asked version's question ids.

    The asked version's row is locked first: a questionnaire being created on it holds a key-share lock on that row
    (its foreign key), so after the lock `is_used` sees every questionnaire and none can start on it until commit.
    """
    _may_keep(by)
    locked = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    if not locked.is_current:
        raise ValidationError(_("Only the current version is edited; this one is kept as it was."))
    questions = list(locked.questions.order_by("position", "id"))
    if not locked.is_used:
        return locked, {q.pk: q for q in questions}, False
    QuestionnaireTemplate.objects.filter(name=locked.name, is_current=True).update(is_current=False)
    last = QuestionnaireTemplate.objects.filter(name=locked.name).order_by("-version").first()
    copy = QuestionnaireTemplate.objects.create(
        name=locked.name, version=(last.version if last else locked.version) + 1, is_current=True, created_by=by
    )
    copies = Question.objects.bulk_create(
        [Question(template=copy, **{f: getattr(q, f) for f in QUESTION_FIELDS}) for q in questions]
    )
    return copy, {old.pk: new for old, new in zip(questions, copies, strict=True)}, True


def _renumber(template: QuestionnaireTemplate, order: list[Question] | None = None) -> None:
    """Positions 0..n-1 in the seed's section order (within a section, `order` or the current order)."""
    questions = order if order is not None else list(template.questions.order_by("position", "id"))
    ranked = sorted(enumerate(questions), key=lambda pair: (SECTION_ORDER[pair[1].section], pair[0]))
    changed = []
    for position, (_index, question) in enumerate(ranked):
        if question.position != position:
            question.position = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["position"])


def _clean_data(data: dict[str, Any], *, section: str) -> dict[str, Any]:
    """The question's fields as the model keeps them; ValidationError by field when the rules refuse them."""
    kind = data.get("kind") or Kind.TEXT
    choices = [c.strip() for c in data.get("choices") or [] if c and c.strip()] if kind == Kind.CHOICE else []
    cleaned: dict[str, Any] = {
        "section": section,
        "text": (data.get("text") or "").strip(),
        "kind": kind,
        "choices": choices,
        "rule": data.get("rule") or "",
        "limit": data.get("limit"),
    }
    errors = question_errors(section=section, kind=kind, rule=cleaned["rule"], limit=cleaned["limit"], choices=choices)
    if not cleaned["text"]:
        errors["text"] = [_("Write the question.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _question_of(template: QuestionnaireTemplate, question: Question) -> None:
    if question.template_id != template.pk:
        raise ValidationError(_("The question is not in this version."))


@transaction.atomic
def template_question_create(*, template: QuestionnaireTemplate, by: User, data: dict[str, Any]) -> TemplateEdit:
    """A new question at the end of its section; on a used version, in a new version."""
    _may_keep(by)
    section = data.get("section") or ""
    cleaned = _clean_data(data, section=section)
    target, _questions, copied = _editable(template, by)
    question = Question(template=target, position=10_000, **cleaned)
    question.full_clean()
    question.save()
    _renumber(target)
    question.refresh_from_db()
    return TemplateEdit(target, question, template if copied else None)


@transaction.atomic
def template_question_update(
    *, template: QuestionnaireTemplate, question: Question, by: User, data: dict[str, Any]
) -> TemplateEdit:
    """Change a question's text, kind, options, rule and limit (its section stays); on a used version, the copy's."""
    _may_keep(by)
    _question_of(template, question)
    cleaned = _clean_data(data, section=question.section)
    target, questions, copied = _editable(template, by)
    edited = questions[question.pk]
    for field, value in cleaned.items():
        setattr(edited, field, value)
    edited.full_clean()
    edited.save()
    return TemplateEdit(target, edited, template if copied else None)


@transaction.atomic
def template_question_remove(*, template: QuestionnaireTemplate, question: Question, by: User) -> TemplateEdit:
    """Remove a question; on a used version, from the new version (filled questionnaires keep it)."""
    _may_keep(by)
    _question_of(template, question)
    target, questions, copied = _editable(template, by)
    if len(questions) == 1:
        raise ValidationError(_("A questionnaire needs at least one question."))
    questions.pop(question.pk).delete()
    _renumber(target)
    return TemplateEdit(target, None, template if copied else None)


@transaction.atomic
def template_question_move(*, template: QuestionnaireTemplate, question: Question, by: User, up: bool) -> TemplateEdit:
    """Move a question one place up or down within its section (at the section's edge it stays)."""
    _may_keep(by)
    _question_of(template, question)
    target, questions, copied = _editable(template, by)
    order = list(questions.values())
    moved = questions[question.pk]
    same = [i for i, q in enumerate(order) if q.section == moved.section]
    at = same.index(order.index(moved))
    other = at - 1 if up else at + 1
    if 0 <= other < len(same):
        i, j = same[at], same[other]
        order[i], order[j] = order[j], order[i]
    _renumber(target, order)
    return TemplateEdit(target, moved, template if copied else None)
