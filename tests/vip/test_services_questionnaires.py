"""Answers as typed: types and ranges, field messages, the rest kept; who may fill; template versions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.crm.factories import ClientFactory
from tests.vip.conftest import question
from vip.models import Answer, ProgrammeClient, Questionnaire
from vip.services.questionnaires import (
    questionnaire_answer,
    questionnaire_create,
    template_new_version,
    template_question_add,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "raw", "message"),
    [
        ("How likely", "11", "Enter a whole number from 0 to 10."),
        ("How likely", "7.5", "Enter a whole number from 0 to 10."),
        ("How likely", "много", "Enter a whole number from 0 to 10."),
        ("Measured", "быстро", "Enter a number."),
        ("Measured", "1e400", "Enter a number."),
        ("Measured", "NaN", "Enter a number."),
        ("Is the speed", "может быть", "Answer yes or no."),
    ],
)
def test_a_bad_answer_is_a_field_message_and_keeps_the_rest(questionnaire, manager, text, raw, message):
    kept = questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Who took"), raw="Иванов", by=manager
    )
    q = question(questionnaire, text)
    with pytest.raises(ValidationError) as caught:
        questionnaire_answer(questionnaire=questionnaire, question=q, raw=raw, by=manager)
    assert caught.value.message_dict == {f"q{q.pk}": [message]}
    assert list(Answer.objects.values_list("pk", flat=True)) == [kept.pk]
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.DRAFT


@pytest.mark.parametrize(
    ("text", "raw", "field", "value"),
    [
        ("How likely", "9", "number", Decimal(9)),
        ("Measured", "1 234,5", "number", Decimal("1234.50")),
        ("Are the key", "Да", "flag", True),
        ("Are the key", "no", "flag", False),
        ("Who took", "  Петров  ", "text", "Петров"),
    ],
)
def test_answers_are_stored_typed(questionnaire, manager, text, raw, field, value):
    answer = questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, text), raw=raw, by=manager
    )
    assert getattr(Answer.objects.get(pk=answer.pk), field) == value


def test_an_answer_is_one_per_question_and_an_empty_one_clears_it(questionnaire, manager):
    q = question(questionnaire, "Who took")
    questionnaire_answer(questionnaire=questionnaire, question=q, raw="один", by=manager)
    questionnaire_answer(questionnaire=questionnaire, question=q, raw="два", by=manager)
    assert list(Answer.objects.values_list("text", flat=True)) == ["два"]
    questionnaire_answer(questionnaire=questionnaire, question=q, raw="", by=manager)
    assert not Answer.objects.exists()


def test_only_the_employee_or_the_vip_head_fills(questionnaire, teammate, service_owner, vip_head, head):
    q = question(questionnaire, "Who took")
    for outsider in (teammate, service_owner):
        with pytest.raises(PermissionDenied):
            questionnaire_answer(questionnaire=questionnaire, question=q, raw="x", by=outsider)
    for allowed in (vip_head, head):
        questionnaire_answer(questionnaire=questionnaire, question=q, raw="x", by=allowed)


def test_a_question_of_another_template_is_refused(questionnaire, manager, vip_head):
    newer = template_new_version(template=questionnaire.template, by=vip_head)
    other = newer.questions.first()
    with pytest.raises(ValidationError):
        questionnaire_answer(questionnaire=questionnaire, question=other, raw="x", by=manager)


def test_a_used_template_version_is_immutable_and_a_new_version_becomes_current(questionnaire, vip_head, manager):
    with pytest.raises(ValidationError):
        template_question_add(template=questionnaire.template, by=vip_head, data={"section": "carnegie", "text": "?"})
    newer = template_new_version(template=questionnaire.template, by=vip_head)
    assert newer.version == 2 and newer.is_current
    assert newer.questions.count() == questionnaire.template.questions.count()
    template_question_add(template=newer, by=vip_head, data={"section": "carnegie", "text": "Новый вопрос"})
    later = questionnaire_create(client=questionnaire.client, by=manager, meeting_date=date(2026, 9, 1))
    assert later.template == newer
    questionnaire.refresh_from_db()
    assert questionnaire.template.version == 1
    assert questionnaire.template.questions.count() == newer.questions.count() - 1


def test_only_programme_clients_and_their_employee_start_questionnaires(vip_client, template, teammate, vip_head):
    with pytest.raises(PermissionDenied):
        questionnaire_create(client=vip_client, by=teammate, meeting_date=date(2026, 6, 1))
    stranger = ClientFactory()
    with pytest.raises(ValidationError):
        questionnaire_create(client=stranger, by=vip_head, meeting_date=date(2026, 6, 1))
    ProgrammeClient.objects.create(client=stranger)
    assert questionnaire_create(client=stranger, by=vip_head, employee=teammate, meeting_date=date(2026, 6, 1))
