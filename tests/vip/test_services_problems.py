"""The whole flow of a problem questionnaire (seed 002 steps 9-15), through the services."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crm.models import Activity
from tests.vip.conftest import question
from vip.models import Answer, Problem, ProblemEvent, Questionnaire, VipNotification
from vip.nightly import vip_problems_escalate
from vip.services.problems import problem_confirm, problem_details_set, problem_fixed, problem_take, problems_escalate
from vip.services.questionnaires import questionnaire_answer, questionnaire_complete, questionnaire_resume

pytestmark = pytest.mark.django_db


def fill_up_to_quality(questionnaire, by):
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Who took"), raw="Иванов И.", by=by
    )
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "What is the company"), raw="Рост", by=by
    )


def fail_quality(questionnaire, by):
    return questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Is the speed"), raw="нет", by=by
    )


def test_a_failed_quality_answer_pauses_at_quality_and_routes_the_problem_to_both_people(
    questionnaire, manager, vip_head, service_owner
):
    fill_up_to_quality(questionnaire, manager)
    mail.outbox.clear()
    answer = fail_quality(questionnaire, manager)

    questionnaire.refresh_from_db()
    assert answer.passed is False
    assert questionnaire.status == Questionnaire.Status.PAUSED
    assert questionnaire.paused_at_section == "quality"
    problem = Problem.objects.get()
    assert problem.status == Problem.Status.OPEN
    assert problem.employee == manager and problem.question == answer.question
    assert "Is the speed" in problem.what
    assert set(VipNotification.objects.values_list("user__username", flat=True)) == {"vip", "service"}
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {vip_head.email, service_owner.email}
    assert "ООО Ромашка" in mail.outbox[0].subject


def test_a_passing_quality_answer_does_not_pause(questionnaire, manager):
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Is the speed"), raw="да", by=manager
    )
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Do you remember"), raw="нет", by=manager
    )
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Measured"), raw="120", by=manager
    )
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.DRAFT
    assert not Problem.objects.exists()


@pytest.mark.parametrize(("text", "raw"), [("Do you remember", "да"), ("Measured", "99,5")])
def test_each_rule_fails_on_its_own_answer(questionnaire, manager, text, raw):
    questionnaire_answer(questionnaire=questionnaire, question=question(questionnaire, text), raw=raw, by=manager)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.PAUSED
    assert Problem.objects.count() == 1


def test_while_paused_later_sections_are_refused_and_earlier_ones_kept(questionnaire, manager):
    fill_up_to_quality(questionnaire, manager)
    fail_quality(questionnaire, manager)
    with pytest.raises(ValidationError) as caught:
        questionnaire_answer(
            questionnaire=questionnaire, question=question(questionnaire, "Where could"), raw="x", by=manager
        )
    assert f"q{question(questionnaire, 'Where could').pk}" in caught.value.message_dict
    # The quality section itself can still be answered (a second failure is a second problem).
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Do you remember"), raw="да", by=manager
    )
    assert Problem.objects.count() == 2


def test_the_full_flow_fixed_leaves_it_open_the_call_closes_it_and_the_questionnaire_resumes(
    questionnaire, manager, vip_head, service_owner
):
    fill_up_to_quality(questionnaire, manager)
    fail_quality(questionnaire, manager)
    problem = Problem.objects.get()
    problem_details_set(
        problem=problem,
        by=manager,
        data={"since": "две недели", "impact": "не работает 1С", "witnesses": "бухгалтерия", "contacts": "Петрова"},
    )
    problem_take(problem=problem, by=service_owner)
    assert problem.status == Problem.Status.IN_WORK

    problem_fixed(problem=problem, by=service_owner)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.FIXED
    assert Problem.objects.unresolved().filter(pk=problem.pk).exists()
    task = Activity.objects.get(kind=Activity.Kind.TASK, owner=manager)
    assert "call" in task.subject and task.client_id == problem.client_id and task.due_at is not None
    with pytest.raises(ValidationError):
        questionnaire_resume(questionnaire=questionnaire, by=manager)

    problem_confirm(problem=problem, ok=True, words="всё работает", by=manager)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED and problem.closed_at is not None
    assert Activity.objects.filter(kind=Activity.Kind.TASK, owner=manager, subject__contains="next meeting").exists()

    questionnaire_resume(questionnaire=questionnaire, by=manager, meeting_date=date(2026, 7, 1))
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.DRAFT
    assert questionnaire.paused_at_section == "quality"
    assert questionnaire.meeting_date == date(2026, 7, 1)
    assert set(Answer.objects.filter(questionnaire=questionnaire).values_list("text", flat=True)) >= {
        "Иванов И.",
        "Рост",
    }
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Where could"), raw="ещё 2 офиса", by=manager
    )
    questionnaire_complete(questionnaire=questionnaire, by=manager)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.COMPLETE
    actions = list(problem.events.values_list("action", flat=True))
    assert actions == ["opened", "details", "taken", "fixed", "confirmed"]


def test_not_fixed_reopens_with_the_clients_words(questionnaire, manager, service_owner):
    fail_quality(questionnaire, manager)
    problem = Problem.objects.get()
    problem_fixed(problem=problem, by=service_owner)
    with pytest.raises(ValidationError):
        problem_confirm(problem=problem, ok=False, words="", by=manager)
    problem_confirm(problem=problem, ok=False, words="по вечерам всё так же медленно", by=manager)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.OPEN
    assert problem.reopened == 1
    assert problem.client_words == "по вечерам всё так же медленно"
    assert problem.events.last().action == ProblemEvent.Action.REOPENED
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.PAUSED


def test_roles_of_the_problem_actions(questionnaire, manager, other_manager, service_owner, vip_head):
    fail_quality(questionnaire, manager)
    problem = Problem.objects.get()
    with pytest.raises(PermissionDenied):
        problem_take(problem=problem, by=manager)
    with pytest.raises(PermissionDenied):
        problem_fixed(problem=problem, by=vip_head)
    problem_fixed(problem=problem, by=service_owner)
    with pytest.raises(PermissionDenied):
        problem_confirm(problem=problem, ok=True, by=other_manager)
    with pytest.raises(PermissionDenied):
        problem_confirm(problem=problem, ok=True, by=service_owner)
    problem_confirm(problem=problem, ok=True, by=vip_head)
    assert Problem.objects.get().status == Problem.Status.CLOSED


def test_confirmation_before_fixed_is_refused(questionnaire, manager):
    fail_quality(questionnaire, manager)
    with pytest.raises(ValidationError):
        problem_confirm(problem=Problem.objects.get(), ok=True, by=manager)


def test_fixed_sends_the_client_a_link(questionnaire, manager, service_owner):
    fail_quality(questionnaire, manager)
    mail.outbox.clear()
    problem_fixed(problem=Problem.objects.get(), by=service_owner)
    to_client = [m for m in mail.outbox if m.to == ["client@romashka.ru"]]
    assert len(to_client) == 1
    assert "/vip/confirm/" in to_client[0].body


def test_unconfirmed_fixes_escalate_once_and_never_close(questionnaire, manager, service_owner, vip_head, settings):
    settings.VIP_ESCALATE_AFTER_DAYS = 5
    fail_quality(questionnaire, manager)
    problem = Problem.objects.get()
    fixed_at = timezone.now() - timedelta(days=6)
    problem_fixed(problem=problem, by=service_owner, now=fixed_at)
    today = timezone.localdate()
    assert problems_escalate(today=fixed_at.date() + timedelta(days=4)) == {"escalated": 0}
    VipNotification.objects.all().delete()
    assert vip_problems_escalate(today) == {"escalated": 1}
    assert vip_problems_escalate(today) == {"escalated": 0}
    problem.refresh_from_db()
    assert problem.status == Problem.Status.FIXED and problem.escalated_at is not None
    assert list(VipNotification.objects.values_list("user__username", flat=True)) == ["vip"]
    # Reopened and fixed again: the new fix may escalate again.
    problem_confirm(problem=problem, ok=False, words="нет", by=manager)
    problem_fixed(problem=problem, by=service_owner, now=timezone.now() - timedelta(days=6))
    assert vip_problems_escalate(today) == {"escalated": 1}


def test_the_demo_programme_has_questionnaires_and_problems_in_every_state(db):
    from crm.demo.generator import generate
    from vip.demo import programme_seed, programme_wipe

    generate(clients=60, managers=3, deals=10, months=6, as_of=date(2026, 6, 30), teams=1, products=10)
    counts = programme_seed(as_of=date(2026, 6, 30))
    assert counts["questionnaires"] == 12
    assert set(Questionnaire.objects.values_list("status", flat=True)) == {"draft", "paused", "complete"}
    assert set(Problem.objects.values_list("status", flat=True)) == {"open", "in_work", "fixed", "closed"}
    assert Problem.objects.filter(reopened=1).exists()
    assert Questionnaire.objects.filter(resumed_at__isnull=False, status="draft").exists()
    # Proposals from the complete questionnaires and their referrals, one of them claimed as a client.
    assert (counts["offers"], counts["referrals"]) == (4, 3)
    assert programme_seed(as_of=date(2026, 6, 30)) == {"questionnaires": 0}
    programme_wipe()
    assert not Problem.objects.exists() and not Questionnaire.objects.exists()
    from crm.models import ProspectList
    from vip.models import QuestionnaireOffer, Referral

    assert not QuestionnaireOffer.objects.exists() and not Referral.objects.exists()
    assert not ProspectList.objects.filter(name="VIP: рекомендации клиентов").exists()
