"""Reads behind the questionnaire pages, always through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from crm.models import User
from vip.models import Answer, Problem, ProgrammeClient, Question, Questionnaire
from vip.models.programme import runs_programme
from vip.rules.questionnaires import SECTION_ORDER, Section


def questionnaire_rows(*, user: User, status: str = "") -> QuerySet[Questionnaire]:
    """The user's questionnaires (the VIP head's: all), with their client, employee and unresolved problems."""
    rows = (
        Questionnaire.objects.visible_to(user)
        .select_related("client", "employee", "campaign", "template")
        .annotate(open_problems=Count("problems", filter=~Q(problems__status=Problem.Status.CLOSED)))
    )
    if status in Questionnaire.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-meeting_date", "-id")


def startable_clients(user: User) -> QuerySet[ProgrammeClient]:
    """The programme clients the user may start a questionnaire for: all for the VIP head, else his personal list."""
    entries = ProgrammeClient.objects.visible_to(user).select_related("client").order_by("client__name", "id")
    return entries if runs_programme(user) else entries.filter(assigned_to=user)


@dataclass
class QuestionRow:
    question: Question
    answer: Answer | None
    value: str
    locked: bool


@dataclass
class SectionBlock:
    code: str
    label: str
    index: int
    rows: list[QuestionRow] = field(default_factory=list)
    paused_here: bool = False
    locked: bool = False


def questionnaire_sections(questionnaire: Questionnaire, *, editable: bool) -> list[SectionBlock]:
    """The questionnaire's sections in the seed's order with each question's saved answer; the sections after the
    pause (or all, on a complete questionnaire or for a reader) are locked."""
    answers = {a.question_id: a for a in Answer.objects.filter(questionnaire=questionnaire)}
    paused = questionnaire.status == Questionnaire.Status.PAUSED
    stop = SECTION_ORDER.get(questionnaire.paused_at_section, len(SECTION_ORDER)) if paused else len(SECTION_ORDER)
    blocks = {
        code: SectionBlock(code=code, label=str(label), index=SECTION_ORDER[code]) for code, label in Section.choices
    }
    for block in blocks.values():
        block.locked = not editable or questionnaire.status == Questionnaire.Status.COMPLETE or block.index > stop
    for question in questionnaire.template.questions.all().order_by("position", "id"):
        block = blocks[question.section]
        answer = answers.get(question.pk)
        block.rows.append(
            QuestionRow(question=question, answer=answer, value=answer.display if answer else "", locked=block.locked)
        )
    if paused:
        blocks[questionnaire.paused_at_section].paused_here = True
    # "Room to grow" always shows: its per-category figures (templates/vip/_growth.html) need no question.
    return [block for block in blocks.values() if block.rows or block.code == Section.GROWTH]
