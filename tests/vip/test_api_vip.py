"""`/api/v1/vip/`: the same visibility as the pages, the problem flow through the API, bad input as 400."""

from datetime import date

import pytest

from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory
from tests.vip.conftest import question
from vip.models import Problem, ProgrammeClient
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db

Q = "/api/v1/vip/questionnaires/"
P = "/api/v1/vip/problems/"


@pytest.fixture
def stranger(template, other_manager):
    client = ClientFactory(owner=other_manager)
    ProgrammeClient.objects.create(client=client, assigned_to=other_manager)
    return questionnaire_create(client=client, by=other_manager, meeting_date=date(2026, 6, 2))


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "sees_mine", "sees_other", "sees_problems"),
    [
        ("vip_head", True, True, True),
        ("head", True, True, True),
        ("manager", True, False, True),
        ("other_manager", False, True, False),
        ("service_owner", False, False, True),
        ("base_manager", False, False, False),
    ],
)
def test_visibility_of_the_api(request, questionnaire, stranger, manager, who, sees_mine, sees_other, sees_problems):
    api_as(manager).post(
        f"{Q}{questionnaire.pk}/answer/", {"question": question(questionnaire, "Is the speed").pk, "value": "no"}
    )
    problem = Problem.objects.get()
    api = api_as(request.getfixturevalue(who))
    listed = ids(api.get(Q))
    assert (questionnaire.pk in listed) is sees_mine
    assert (stranger.pk in listed) is sees_other
    assert api.get(f"{Q}{questionnaire.pk}/").status_code == (200 if sees_mine else 404)
    assert (problem.pk in ids(api.get(P))) is sees_problems
    assert api.get(f"{P}{problem.pk}/").status_code == (200 if sees_problems else 404)


def test_the_flow_through_the_api(questionnaire, manager, service_owner, vip_head):
    staff = api_as(manager)
    speed = question(questionnaire, "Is the speed")
    paused = staff.post(f"{Q}{questionnaire.pk}/answer/", {"question": speed.pk, "value": "no"}, format="json")
    assert paused.status_code == 200
    assert paused.json()["status"] == "paused" and paused.json()["paused_at_section"] == "quality"
    problem = Problem.objects.get()
    assert staff.post(f"{P}{problem.pk}/details/", {"since": "неделю"}, format="json").json()["since"] == "неделю"
    service = api_as(service_owner)
    assert staff.post(f"{P}{problem.pk}/take/", {}, format="json").status_code == 403
    assert service.post(f"{P}{problem.pk}/take/", {}, format="json").json()["status"] == "in_work"
    assert service.post(f"{P}{problem.pk}/fixed/", {"note": "готово"}, format="json").json()["status"] == "fixed"
    assert service.post(f"{P}{problem.pk}/confirm/", {"ok": True}, format="json").status_code == 403
    reopened = staff.post(f"{P}{problem.pk}/confirm/", {"ok": False, "words": "медленно"}, format="json").json()
    assert (reopened["status"], reopened["client_words"]) == ("open", "медленно")
    service.post(f"{P}{problem.pk}/fixed/", {}, format="json")
    assert staff.post(f"{P}{problem.pk}/confirm/", {"ok": True}, format="json").json()["status"] == "closed"
    resumed = staff.post(f"{Q}{questionnaire.pk}/resume/", {"meeting_date": "2026-07-01"}, format="json").json()
    assert resumed["status"] == "draft" and resumed["meeting_date"] == "2026-07-01"
    assert [a["value"] for a in resumed["answers"]] == ["no"]
    assert staff.post(f"{Q}{questionnaire.pk}/complete/", format="json").json()["status"] == "complete"


@pytest.mark.parametrize(
    "body",
    [
        {"question": "x", "value": "1"},
        {"question": 10**30, "value": "1"},
        {"question": 999999, "value": "1"},
        {"value": "1"},
    ],
)
def test_bad_answers_are_400(questionnaire, manager, body):
    assert api_as(manager).post(f"{Q}{questionnaire.pk}/answer/", body, format="json").status_code == 400


def test_a_bad_value_is_a_field_message(questionnaire, manager):
    q = question(questionnaire, "How likely")
    response = api_as(manager).post(f"{Q}{questionnaire.pk}/answer/", {"question": q.pk, "value": "11"}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {f"q{q.pk}": ["Enter a whole number from 0 to 10."]}


def test_create_through_the_api(vip_client, manager, other_manager, template):
    created = api_as(manager).post(Q, {"client": vip_client.pk, "meeting_date": "2026-06-20"}, format="json")
    assert created.status_code == 201 and created.json()["employee"] == manager.pk
    assert (
        api_as(other_manager)
        .post(Q, {"client": vip_client.pk, "meeting_date": "2026-06-20"}, format="json")
        .status_code
        == 400
    )


def test_api_lists_are_constant_in_rows(vip_head, manager, template):
    api = api_as(vip_head)

    def make(n):
        for _ in range(n):
            c = ClientFactory(owner=manager)
            ProgrammeClient.objects.create(client=c, assigned_to=manager)
            q = questionnaire_create(client=c, by=vip_head, employee=manager, meeting_date=date(2026, 6, 1))
            api.post(f"{Q}{q.pk}/answer/", {"question": question(q, "Is the speed").pk, "value": "no"}, format="json")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make(1)
    counts = []
    for n in (0, 5):
        make(n)
        for url in (Q, P):
            with CaptureQueriesContext(connection) as ctx:
                assert api.get(url).status_code == 200
            counts.append(len(ctx))
    assert counts[:2] == counts[2:]
