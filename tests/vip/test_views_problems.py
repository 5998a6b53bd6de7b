"""The problem register's pages: who sees which problems, the actions of each role, the call confirmation, filters,
and list queries constant in rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.crm.factories import ClientFactory
from vip.models import Problem, ProgrammeClient, VipNotification
from vip.services.problems import problem_fixed, problem_open
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(vip_client, manager, questionnaire):
    return problem_open(client=vip_client, by=manager, what="Скорость ниже договора", questionnaire=questionnaire)


@pytest.fixture
def others(other_manager, vip_head, template):
    client = ClientFactory(owner=other_manager, name="АО Василёк")
    ProgrammeClient.objects.create(client=client, assigned_to=other_manager)
    return problem_open(client=client, by=other_manager, what="Обрывы связи")


def detail(problem):
    return reverse("vip_problem_detail", args=[problem.pk])


def action(problem, name):
    return reverse("vip_problem_action", args=[problem.pk, name])


@pytest.mark.parametrize(
    ("who", "list_status", "sees_mine", "sees_others"),
    [
        ("vip_head", 200, True, True),
        ("head", 200, True, True),
        ("service_owner", 200, True, True),
        ("manager", 200, True, False),
        ("team_lead", 200, True, False),
        ("other_manager", 200, False, True),
        ("base_manager", 403, False, False),
    ],
)
def test_visibility_of_the_register(request, client, mine, others, who, list_status, sees_mine, sees_others):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("vip_problem_list"))
    assert response.status_code == list_status
    if list_status == 200:
        body = response.content.decode()
        assert ("Скорость ниже договора" in body) is sees_mine
        assert ("Обрывы связи" in body) is sees_others
    for problem, sees in ((mine, sees_mine), (others, sees_others)):
        assert client.get(detail(problem)).status_code == (200 if sees else (404 if list_status == 200 else 403))


def test_assigned_staff_see_their_clients_problems(client, mine, teammate, vip_client):
    client.force_login(teammate)
    assert client.get(detail(mine)).status_code == 404
    ProgrammeClient.objects.filter(client=vip_client).update(assigned_to=teammate)
    assert client.get(detail(mine)).status_code == 200


def test_the_service_owner_takes_and_fixes_and_does_not_see_the_questionnaire(client, mine, service_owner):
    client.force_login(service_owner)
    page = client.get(detail(mine)).content.decode()
    assert 'data-testid="vip-take"' in page
    assert reverse("vip_questionnaire_detail", args=[mine.questionnaire_id]) not in page
    assert client.post(action(mine, "take")).status_code == 302
    assert Problem.objects.get(pk=mine.pk).status == "in_work"
    client.post(action(mine, "fixed"), {"note": "заменили коммутатор"})
    mine.refresh_from_db()
    assert mine.status == "fixed"
    assert mine.events.last().note == "заменили коммутатор"
    assert 'data-testid="vip-confirm-form"' not in client.get(detail(mine)).content.decode()


def test_sellers_and_the_vip_head_cannot_move_a_problem_for_service(client, mine, manager, vip_head):
    for user in (manager, vip_head):
        client.force_login(user)
        assert 'data-testid="vip-take"' not in client.get(detail(mine)).content.decode()
        assert client.post(action(mine, "take")).status_code == 403
        assert client.post(action(mine, "fixed")).status_code == 403
    assert Problem.objects.get(pk=mine.pk).status == "open"


def test_the_employee_records_the_call_confirmation(client, mine, manager, service_owner):
    problem_fixed(problem=mine, by=service_owner)
    client.force_login(manager)
    assert 'data-testid="vip-confirm-form"' in client.get(detail(mine)).content.decode()
    empty = client.post(action(mine, "confirm"), {"answer": "remains", "words": ""})
    assert empty.status_code == 400
    assert "Write down what the client said." in empty.content.decode()
    assert Problem.objects.get(pk=mine.pk).status == "fixed"
    client.post(action(mine, "confirm"), {"answer": "remains", "words": "медленно по вечерам"})
    mine.refresh_from_db()
    assert (mine.status, mine.client_words) == ("open", "медленно по вечерам")
    assert "медленно по вечерам" in client.get(detail(mine)).content.decode()


def test_a_confirmation_by_someone_else_is_refused(client, mine, other_manager, teammate, service_owner):
    problem_fixed(problem=mine, by=service_owner)
    client.force_login(service_owner)
    assert client.post(action(mine, "confirm"), {"answer": "ok"}).status_code == 403
    client.force_login(other_manager)
    assert client.post(action(mine, "confirm"), {"answer": "ok"}).status_code == 404
    assert Problem.objects.get(pk=mine.pk).status == "fixed"


def test_an_unknown_action_or_get_is_not_a_500(client, mine, service_owner, manager):
    client.force_login(service_owner)
    assert client.post(action(mine, "close")).status_code == 404
    assert client.get(action(mine, "take")).status_code == 405
    client.force_login(manager)
    assert client.post(action(mine, "confirm"), {"answer": "ok"}).status_code == 400  # not fixed yet: the message
    assert Problem.objects.get(pk=mine.pk).status == "open"


def test_filters_by_status_and_client(client, mine, others, vip_head, service_owner):
    problem_fixed(problem=others, by=service_owner)
    VipNotification.objects.all().delete()
    client.force_login(vip_head)
    fixed = client.get(reverse("vip_problem_list"), {"status": "fixed"}).content.decode()
    assert "Обрывы связи" in fixed and "Скорость ниже договора" not in fixed
    by_client = client.get(reverse("vip_problem_list"), {"client": "ромашк"}).content.decode()
    assert "Скорость ниже договора" in by_client and "Обрывы связи" not in by_client
    bad = client.get(reverse("vip_problem_list"), {"status": "nonsense"})
    assert bad.status_code == 200


def test_notices_show_and_are_read_when_the_problem_is_opened(client, mine, vip_head):
    client.force_login(vip_head)
    assert 'data-testid="vip-notices"' in client.get(reverse("vip_problem_list")).content.decode()
    client.get(detail(mine))
    assert not VipNotification.objects.filter(user=vip_head, read_at__isnull=True).exists()


def test_the_register_queries_are_constant_in_rows(client, vip_head, manager, template):
    def make(n):
        for _ in range(n):
            c = ClientFactory(owner=manager)
            ProgrammeClient.objects.create(client=c, assigned_to=manager)
            q = questionnaire_create(client=c, by=vip_head, employee=manager, meeting_date=date(2026, 6, 1))
            problem_open(client=c, by=manager, what="сбой", questionnaire=q)

    client.force_login(vip_head)
    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("vip_problem_list")).status_code == 200
    make(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("vip_problem_list")).status_code == 200
    assert len(many) == len(one)


def test_the_vip_menu_is_shown_to_the_programme_people(client, vip_head, service_owner, manager, base_manager):
    for user, shown in ((vip_head, True), (service_owner, True), (manager, True), (base_manager, False)):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert ('data-testid="nav-vip"' in page) is shown
