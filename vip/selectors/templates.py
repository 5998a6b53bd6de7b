"""Reads of the questionnaire templates for the VIP head's pages: the versions with their counts, and a version's
questions by section in the seed's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from crm.models import User
from vip.models import Question, Questionnaire, QuestionnaireTemplate
from vip.rules.questionnaires import Section


def _count(queryset: QuerySet[Question] | QuerySet[Questionnaire]) -> Coalesce:
    counted = queryset.filter(template_id=OuterRef("pk")).order_by().values("template_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def template_rows(user: User) -> QuerySet[QuestionnaireTemplate]:
    """Every version, newest first within its name, with its questions and the questionnaires filled on it (those
    the user sees: for the VIP head, all) in one query."""
    return (
        QuestionnaireTemplate.objects.select_related("created_by")
        .annotate(
            filled=_count(Questionnaire.objects.visible_to(user)),
            question_count=_count(Question.objects.all()),
        )
        .order_by("name", "-version", "id")
    )


@dataclass
class SectionQuestions:
    code: str
    label: str
    questions: list[Question] = field(default_factory=list)


def template_sections(template: QuestionnaireTemplate) -> list[SectionQuestions]:
    """Every section of the seed in its order (empty ones too, so a question can be added to any)."""
    blocks = {code: SectionQuestions(code=code, label=str(label)) for code, label in Section.choices}
    for question in template.questions.order_by("position", "id"):
        blocks[question.section].questions.append(question)
    return list(blocks.values())
