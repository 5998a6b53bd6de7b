"""The questionnaire pages: who sees what, answers saved as typed through htmx with field messages, the pause and
the problem form, resumption; list queries constant in rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Role
from tests.crm.factories import ClientFactory, UserFactory
from tests.vip.conftest import question
from vip.models import Answer, Problem, ProgrammeClient, Questionnaire
from vip.services.problems import problem_confirm, problem_fixed
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def answer_url(questionnaire, q):
    return reverse("vip_questionnaire_answer", args=[questionnaire.pk, q.pk])


def detail_url(questionnaire):
    return reverse("vip_questionnaire_detail", args=[questionnaire.pk])


@pytest.fixture
def stranger(vip_head, template, other_manager):
    """A questionnaire of another manager's client, worked by him."""
    client = ClientFactory(owner=other_manager)
    ProgrammeClient.objects.create(client=client, assigned_to=other_manager)
    return questionnaire_create(client=client, by=other_manager, meeting_date=date(2026, 6, 2))


@pytest.mark.parametrize(
    ("who", "list_status", "sees_mine", "sees_other"),
    [
        ("vip_head", 200, True, True),
        ("head", 200, True, True),
        ("manager", 200, True, False),
        ("team_lead", 200, True, False),
        ("other_manager", 200, False, True),
        ("service_owner", 403, False, False),
        ("base_manager", 403, False, False),
    ],
)
def test_visibility_of_the_questionnaire_pages(
    request, client, questionnaire, stranger, who, list_status, sees_mine, sees_other
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("vip_questionnaire_list"))
    assert response.status_code == list_status
    if list_status == 200:
        body = response.content.decode()
        assert (questionnaire.client.name in body) is sees_mine
        assert (stranger.client.name in body) is sees_other
    for target, sees in ((questionnaire, sees_mine), (stranger, sees_other)):
        expected = 200 if sees else (404 if list_status == 200 else 403)
        assert client.get(detail_url(target)).status_code == expected
        q = question(target, "Who took")
        post = client.post(answer_url(target, q), {"value": "x"}, **HX)
        assert post.status_code in ((200, 403) if sees else (expected,))


def test_anonymous_goes_to_login(client, questionnaire):
    response = client.get(detail_url(questionnaire))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_owner_who_is_not_the_employee_reads_but_does_not_fill(client, questionnaire, manager, teammate, vip_head):
    questionnaire.employee = vip_head
    questionnaire.save()
    client.force_login(manager)
    page = client.get(detail_url(questionnaire))
    assert page.status_code == 200
    assert "disabled" in page.content.decode()
    response = client.post(answer_url(questionnaire, question(questionnaire, "Who took")), {"value": "x"}, **HX)
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_an_answer_saves_as_typed_and_a_bad_one_is_a_field_message(client, questionnaire, manager):
    client.force_login(manager)
    ok = client.post(answer_url(questionnaire, question(questionnaire, "Who took")), {"value": "Иванов"}, **HX)
    assert ok.status_code == 200 and 'data-testid="answer-saved"' in ok.content.decode()
    bad = client.post(answer_url(questionnaire, question(questionnaire, "How likely")), {"value": "12"}, **HX)
    assert bad.status_code == 200
    assert "Enter a whole number from 0 to 10." in bad.content.decode()
    assert list(Answer.objects.values_list("text", flat=True)) == ["Иванов"]
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "Иванов" in page
    assert 'hx-trigger="change, keyup changed delay:800ms"' in page


@pytest.mark.parametrize("raw", ["\x00", "1e999999", "𝟙𝟚", "9" * 5000])
def test_nothing_answers_500(client, questionnaire, manager, raw):
    client.force_login(manager)
    for text in ("How likely", "Measured", "Is the speed", "Who took"):
        response = client.post(answer_url(questionnaire, question(questionnaire, text)), {"value": raw}, **HX)
        assert response.status_code == 200


def test_a_question_of_another_template_or_questionnaire_is_404(client, questionnaire, stranger, manager):
    client.force_login(manager)
    url = reverse("vip_questionnaire_answer", args=[questionnaire.pk, 999999])
    assert client.post(url, {"value": "x"}, **HX).status_code == 404


def test_a_failed_quality_answer_reloads_into_the_pause_and_the_problem_form(client, questionnaire, manager):
    client.force_login(manager)
    client.post(answer_url(questionnaire, question(questionnaire, "Who took")), {"value": "Иванов"}, **HX)
    response = client.post(answer_url(questionnaire, question(questionnaire, "Is the speed")), {"value": "no"}, **HX)
    assert response["HX-Refresh"] == "true"
    page = client.get(detail_url(questionnaire)).content.decode()
    assert 'data-testid="vip-paused"' in page
    assert 'data-testid="vip-problem-form"' in page
    problem = Problem.objects.get()
    form_url = reverse("vip_questionnaire_problem", args=[questionnaire.pk, problem.pk])
    bad = client.post(form_url, {"what": "", "since": "вчера"})
    assert bad.status_code == 400
    assert Problem.objects.get().since == ""
    saved = client.post(
        form_url,
        {
            "what": "Скорость 20 вместо 100",
            "since": "две недели",
            "impact": "встала 1С",
            "witnesses": "Петрова",
            "contacts": "+7 495 000-00-00",
        },
    )
    assert saved.status_code == 302
    problem.refresh_from_db()
    assert (problem.what, problem.since, problem.impact) == ("Скорость 20 вместо 100", "две недели", "встала 1С")
    # A later section is locked while paused.
    later = client.post(answer_url(questionnaire, question(questionnaire, "Where could")), {"value": "x"}, **HX)
    assert "paused" in later.content.decode()
    # A second failed quality answer opens a second problem and reloads into its form too.
    second = client.post(answer_url(questionnaire, question(questionnaire, "Do you remember")), {"value": "yes"}, **HX)
    assert second["HX-Refresh"] == "true"
    assert client.get(detail_url(questionnaire)).content.decode().count('data-testid="vip-problem-form"') == 2
    passing = client.post(answer_url(questionnaire, question(questionnaire, "Who took")), {"value": "Петров"}, **HX)
    assert "HX-Refresh" not in passing


def test_resume_after_the_client_confirmed_keeps_earlier_answers(client, questionnaire, manager, service_owner):
    client.force_login(manager)
    client.post(answer_url(questionnaire, question(questionnaire, "Who took")), {"value": "Иванов"}, **HX)
    client.post(answer_url(questionnaire, question(questionnaire, "Is the speed")), {"value": "no"}, **HX)
    problem = Problem.objects.get()
    resume = reverse("vip_questionnaire_resume", args=[questionnaire.pk])
    client.post(resume, {})
    assert Questionnaire.objects.get().status == "paused"
    problem_fixed(problem=problem, by=service_owner)
    problem_confirm(problem=problem, ok=True, by=manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert 'data-testid="vip-resume-form"' in page
    response = client.post(resume, {"meeting_date": "2026-07-01"})
    assert response.status_code == 302 and response["Location"].endswith("#section-quality")
    questionnaire.refresh_from_db()
    assert questionnaire.status == "draft" and questionnaire.meeting_date == date(2026, 7, 1)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "Иванов" in page and 'data-testid="vip-resumed"' in page
    client.post(answer_url(questionnaire, question(questionnaire, "Where could")), {"value": "офисы"}, **HX)
    assert Answer.objects.count() == 3
    client.post(reverse("vip_questionnaire_complete", args=[questionnaire.pk]))
    assert Questionnaire.objects.get().status == "complete"


def test_create_a_questionnaire_from_the_personal_list(client, vip_client, manager, template, other_manager):
    client.force_login(manager)
    assert client.get(reverse("vip_questionnaire_create")).status_code == 200
    entry = ProgrammeClient.objects.get(client=vip_client)
    response = client.post(reverse("vip_questionnaire_create"), {"client": entry.pk, "meeting_date": "2026-06-15"})
    assert response.status_code == 302
    made = Questionnaire.objects.get()
    assert (made.employee, made.client, made.template) == (manager, vip_client, template)
    client.force_login(other_manager)
    refused = client.post(reverse("vip_questionnaire_create"), {"client": entry.pk, "meeting_date": "2026-06-15"})
    assert refused.status_code == 400
    assert Questionnaire.objects.count() == 1


def test_the_vip_head_makes_the_standard_template(client, vip_head):
    client.force_login(vip_head)
    assert 'data-testid="vip-needs-template"' in client.get(reverse("vip_questionnaire_list")).content.decode()
    client.post(reverse("vip_template_standard"))
    assert 'data-testid="vip-needs-template"' not in client.get(reverse("vip_questionnaire_list")).content.decode()


def test_the_list_queries_are_constant_in_rows(client, vip_head, template, manager):
    def make(n):
        for _ in range(n):
            c = ClientFactory(owner=manager)
            ProgrammeClient.objects.create(client=c, assigned_to=manager)
            questionnaire_create(
                client=c, by=vip_head, employee=UserFactory(role=Role.MANAGER), meeting_date=date(2026, 6, 1)
            )

    client.force_login(vip_head)
    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("vip_questionnaire_list")).status_code == 200
    make(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("vip_questionnaire_list")).status_code == 200
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("who", "status"), [("other_manager", 404), ("service_owner", 403), ("base_manager", 403), ("teammate", 404)]
)
def test_every_write_of_the_questionnaire_is_closed_to_others(request, client, questionnaire, manager, who, status):
    client.force_login(manager)
    client.post(
        answer_url(questionnaire, question(questionnaire, "Is the speed")), {"value": "no"}, HTTP_HX_REQUEST="true"
    )
    problem = Problem.objects.get()
    client.force_login(request.getfixturevalue(who))
    for url, data in (
        (reverse("vip_questionnaire_resume", args=[questionnaire.pk]), {}),
        (reverse("vip_questionnaire_complete", args=[questionnaire.pk]), {}),
        (reverse("vip_questionnaire_problem", args=[questionnaire.pk, problem.pk]), {"what": "чужое"}),
        (reverse("vip_questionnaire_create"), {"client": 1, "meeting_date": "2026-06-01"}),
    ):
        response = client.post(url, data)
        expected = (400 if who in ("other_manager", "teammate") else 403) if url.endswith("/new/") else status
        assert response.status_code == expected, url
    problem.refresh_from_db()
    assert problem.what != "чужое"
    assert Questionnaire.objects.get().status == "paused"
