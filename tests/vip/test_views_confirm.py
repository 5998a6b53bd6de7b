"""The client's link page: GET records nothing, POST answers once, a bad/expired/used link is a clear page."""

from unittest import mock

import pytest
from django.core import signing
from django.test import Client as Browser
from django.urls import reverse

from crm.models import Activity, ChangeLog
from tests.vip.conftest import question
from vip.models import Problem, ProblemEvent, VipNotification
from vip.services.problems import problem_fixed
from vip.services.questionnaires import questionnaire_answer
from vip.services.tokens import problem_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_problem(questionnaire, manager, service_owner):
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Is the speed"), raw="no", by=manager
    )
    problem = Problem.objects.get()
    problem_fixed(problem=problem, by=service_owner)
    problem.refresh_from_db()
    return problem


def state(problem):
    problem.refresh_from_db()
    return (
        problem.status,
        problem.link_round,
        problem.events.count(),
        ChangeLog.objects.count(),
        VipNotification.objects.count(),
        Activity.objects.count(),
    )


def url(token):
    return reverse("vip_confirm", args=[token])


def test_get_shows_the_problem_and_two_buttons_and_records_nothing(fixed_problem):
    before = state(fixed_problem)
    browser = Browser()
    for _ in range(3):  # a mail scanner opens the link, then the client, then again
        response = browser.get(url(problem_token(fixed_problem)))
        assert response.status_code == 200
    assert state(fixed_problem) == before
    body = response.content.decode()
    assert 'value="ok"' in body and 'value="remains"' in body
    assert "Is the speed" in body
    assert "<form" in body and 'method="post"' in body


def test_head_records_nothing_either(fixed_problem):
    before = state(fixed_problem)
    assert Browser().head(url(problem_token(fixed_problem))).status_code == 200
    assert state(fixed_problem) == before


def test_all_is_well_by_the_link_closes_it_once(fixed_problem, manager):
    token = problem_token(fixed_problem)
    browser = Browser()
    response = browser.post(url(token), {"answer": "ok", "words": "спасибо"})
    assert response.status_code == 200
    fixed_problem.refresh_from_db()
    assert fixed_problem.status == Problem.Status.CLOSED
    event = fixed_problem.events.last()
    assert (event.action, event.channel, event.by) == ("confirmed", ProblemEvent.Channel.LINK, None)
    assert Activity.objects.filter(owner=manager, subject__contains="next meeting").exists()
    before = state(fixed_problem)
    again = browser.post(url(token), {"answer": "remains", "words": "снова"})
    assert again.status_code == 410
    assert 'data-reason="used"' in again.content.decode()
    assert state(fixed_problem) == before
    assert browser.get(url(token)).status_code == 410


def test_the_problem_remains_by_the_link_reopens_it_with_the_words(fixed_problem):
    Browser().post(url(problem_token(fixed_problem)), {"answer": "remains", "words": "всё так же"})
    fixed_problem.refresh_from_db()
    assert fixed_problem.status == Problem.Status.OPEN
    assert fixed_problem.client_words == "всё так же"
    assert fixed_problem.reopened == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "9" + t,
        lambda t: t.split(":", 1)[1],
        lambda t: "abc",
        lambda t: "1" * 30 + ":x",
    ],
)
def test_a_tampered_link_is_a_clear_400_and_changes_nothing(fixed_problem, mangle):
    before = state(fixed_problem)
    token = mangle(problem_token(fixed_problem))
    for response in (Browser().get(url(token)), Browser().post(url(token), {"answer": "ok"})):
        assert response.status_code == 400
        assert 'data-reason="invalid"' in response.content.decode()
    assert state(fixed_problem) == before


def test_an_expired_link_is_a_clear_410_and_changes_nothing(fixed_problem, settings):
    token = problem_token(fixed_problem)
    before = state(fixed_problem)
    settings.VIP_CONFIRM_LINK_DAYS = 14
    later = signing.time.time() + 15 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        for response in (Browser().get(url(token)), Browser().post(url(token), {"answer": "ok"})):
            assert response.status_code == 410
            assert 'data-reason="expired"' in response.content.decode()
    assert state(fixed_problem) == before


def test_another_problems_token_does_not_open_this_one(fixed_problem, vip_client, manager, service_owner):
    from vip.services.problems import problem_open

    other = problem_open(client=vip_client, by=manager, what="другое")
    problem_fixed(problem=other, by=service_owner)
    other.refresh_from_db()
    forged = problem_token(other).replace(f"{other.pk}:", f"{fixed_problem.pk}:", 1)
    assert Browser().get(url(forged)).status_code == 400


def test_a_bad_answer_value_is_a_400_page_and_changes_nothing(fixed_problem):
    before = state(fixed_problem)
    response = Browser().post(url(problem_token(fixed_problem)), {"answer": "maybe"})
    assert response.status_code == 400
    assert state(fixed_problem) == before


def test_a_link_of_an_older_fix_is_used(fixed_problem, manager, service_owner):
    from vip.services.problems import problem_confirm

    old = problem_token(fixed_problem)
    problem_confirm(problem=fixed_problem, ok=False, words="нет", by=manager)
    problem_fixed(problem=fixed_problem, by=service_owner)
    assert Browser().get(url(old)).status_code == 410
    fixed_problem.refresh_from_db()
    assert Browser().get(url(problem_token(fixed_problem))).status_code == 200


@pytest.mark.russian
def test_the_refusal_page_speaks_russian(db, settings):
    settings.LANGUAGE_CODE = "ru"
    response = Browser(HTTP_ACCEPT_LANGUAGE="ru").get(url("abc"))
    assert "Ссылка" in response.content.decode()
