"""The weekly review of the problem register: who opens it, the age buckets counted to the week's end, the areas,
what changed in the week, a bad week, and queries constant in rows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.crm.factories import ClientFactory
from vip.models import Problem, ProblemEvent
from vip.selectors.review import weekly_review

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
WEEK = "2026-06-10"  # a Wednesday: the week is Monday 8 June .. Sunday 14 June


def at(*args):
    return datetime(*args, tzinfo=MSK)


def make_problem(client, employee, opened, *, closed=None, status=Problem.Status.OPEN, question=None, what="Сбой"):
    problem = Problem.objects.create(
        client=client, employee=employee, what=what, status=status, question=question, closed_at=closed
    )
    Problem.objects.filter(pk=problem.pk).update(created_at=opened)
    problem.refresh_from_db()
    return problem


def make_event(problem, action, when, by=None, note=""):
    event = ProblemEvent.objects.create(problem=problem, action=action, by=by, note=note)
    ProblemEvent.objects.filter(pk=event.pk).update(at=when)
    return event


@pytest.fixture
def romashka(manager):
    return ClientFactory(owner=manager, name="ООО Ромашка")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vip_head", 200),
        ("head", 200),
        ("admin_user", 200),
        ("service_owner", 200),
        ("manager", 403),
        ("team_lead", 403),
        ("other_manager", 403),
        ("base_manager", 403),
    ],
)
@pytest.mark.parametrize("page", ["vip_review", "vip_review_print"])
def test_who_opens_the_review(request, client, romashka, manager, who, status, page):
    make_problem(romashka, manager, at(2026, 6, 9, 10))
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(page), {"week": WEEK})
    assert response.status_code == status
    if status == 200:
        assert "ООО Ромашка" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("vip_review"))
    assert response.status_code == 302


def test_age_buckets_count_to_the_weeks_end(vip_head, romashka, manager):
    make_problem(romashka, manager, at(2026, 6, 14, 23, 0))  # under a week
    make_problem(romashka, manager, at(2026, 6, 8, 0, 0))  # exactly 7 days before the end: 1-2 weeks
    make_problem(romashka, manager, at(2026, 6, 2, 12))  # 1-2 weeks
    make_problem(romashka, manager, at(2026, 5, 25, 12))  # 2-4 weeks
    make_problem(romashka, manager, at(2026, 5, 18, 0, 0))  # exactly 28 days: over 4 weeks
    make_problem(romashka, manager, at(2026, 4, 1), status=Problem.Status.FIXED)  # fixed is still open
    # closed within the week: not open at its end; closed after it: still open at its end
    make_problem(romashka, manager, at(2026, 6, 1), status=Problem.Status.CLOSED, closed=at(2026, 6, 12))
    make_problem(romashka, manager, at(2026, 6, 1), status=Problem.Status.CLOSED, closed=at(2026, 6, 20))  # 14 days
    make_problem(romashka, manager, at(2026, 6, 15, 0, 1))  # opened after the week

    review = weekly_review(user=vip_head, day=date(2026, 6, 10))

    assert (review.start, review.end) == (date(2026, 6, 8), date(2026, 6, 14))
    assert {b.code: b.count for b in review.ages} == {"under_week": 1, "one_two": 2, "two_four": 2, "over_four": 2}
    assert review.open_total == 7
    assert [p.age_days for p in review.open_problems][:2] == [75, 28]


def test_areas_group_by_section_and_question(vip_head, romashka, manager, questionnaire):
    speed = questionnaire.template.questions.filter(section="quality").order_by("position")[0]
    make_problem(romashka, manager, at(2026, 6, 9), question=speed)
    make_problem(romashka, manager, at(2026, 6, 9), question=speed)
    make_problem(romashka, manager, at(2026, 6, 9))

    review = weekly_review(user=vip_head, day=date(2026, 6, 10))

    assert [(a.section, a.question, a.count) for a in review.areas] == [
        ("quality", speed.text, 2),
        ("quality", "", 1),
    ]


def test_changes_of_the_week_only(client, vip_head, service_owner, romashka, manager):
    problem = make_problem(romashka, manager, at(2026, 6, 1), what="Скорость ниже договора")
    make_event(problem, ProblemEvent.Action.OPENED, at(2026, 6, 1), by=manager)
    make_event(problem, ProblemEvent.Action.TAKEN, at(2026, 6, 8, 9), by=service_owner)
    make_event(problem, ProblemEvent.Action.FIXED, at(2026, 6, 10, 12), by=service_owner)
    make_event(problem, ProblemEvent.Action.DETAILS, at(2026, 6, 10, 13), by=manager)
    make_event(problem, ProblemEvent.Action.REOPENED, at(2026, 6, 14, 23, 59), note="Опять медленно")
    make_event(problem, ProblemEvent.Action.CONFIRMED, at(2026, 6, 15, 0, 0))

    client.force_login(vip_head)
    response = client.get(reverse("vip_review"), {"week": WEEK})

    assert [e.action for e in response.context["review"].changes] == ["taken", "fixed", "reopened"]
    counts = {c.action: c.count for c in response.context["review"].change_counts}
    assert counts == {"opened": 0, "taken": 1, "fixed": 1, "confirmed": 0, "reopened": 1}
    body = response.content.decode()
    assert "Опять медленно" in body
    assert reverse("vip_problem_detail", args=[problem.pk]) in body
    assert reverse("client_detail", args=[romashka.pk]) in body


def test_service_owner_gets_no_client_links(client, service_owner, romashka, manager):
    make_problem(romashka, manager, at(2026, 6, 9))
    client.force_login(service_owner)
    body = client.get(reverse("vip_review"), {"week": WEEK}).content.decode()
    assert "ООО Ромашка" in body
    assert reverse("client_detail", args=[romashka.pk]) not in body


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2026-13-01", "Enter a valid date."),
        ("завтра", "Enter a valid date."),
        ("10.06", "Enter a valid date."),
        ("9999-12-31", "Choose a week between 2000 and 2099."),
        ("0001-01-01", "Choose a week between 2000 and 2099."),
    ],
)
def test_a_bad_week_gets_a_field_message(client, vip_head, bad, message):
    client.force_login(vip_head)
    response = client.get(reverse("vip_review"), {"week": bad})
    assert response.status_code == 400
    assert response.context["form"].errors["week"] == [message]
    assert 'data-testid="field-error"' in response.content.decode()
    printed = client.get(reverse("vip_review_print"), {"week": bad})
    assert printed.status_code == 400


def test_default_week_is_this_week(client, vip_head):
    client.force_login(vip_head)
    response = client.get(reverse("vip_review"))
    assert response.status_code == 200
    review = response.context["review"]
    assert review.start.weekday() == 0 and review.start <= date.today() <= review.end


def test_queries_constant_in_rows(client, vip_head, manager, other_manager, romashka, service_owner):
    def add(n, owner):
        for i in range(n):
            c = ClientFactory(owner=owner, name=f"Клиент {owner.pk}-{i}")
            p = make_problem(c, owner, at(2026, 6, 9))
            make_event(p, ProblemEvent.Action.TAKEN, at(2026, 6, 9, 12), by=service_owner)

    client.force_login(vip_head)
    add(1, manager)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("vip_review"), {"week": WEEK}).status_code == 200
    add(6, other_manager)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("vip_review"), {"week": WEEK})
    assert len(response.context["review"].open_problems) == 7
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.russian
def test_review_in_russian(client, vip_head, romashka, manager):
    make_problem(romashka, manager, at(2026, 6, 9))
    client.force_login(vip_head)
    body = client.get(reverse("vip_review"), {"week": WEEK}).content.decode()
    assert "Еженедельный разбор проблем" in body
    assert "Меньше недели" in body


@pytest.mark.parametrize(
    ("who", "shown"),
    [("vip_head", True), ("head", True), ("service_owner", True), ("manager", False), ("team_lead", False)],
)
def test_the_vip_menu_links_the_review(request, client, who, shown):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("vip_problem_list")).content.decode()
    assert ('data-testid="nav-vip-review"' in body) is shown


def test_the_printout_is_an_a4_sheet_of_the_same_week(client, vip_head, romashka, manager):
    make_problem(romashka, manager, at(2026, 6, 9), what="Обрывы связи")
    client.force_login(vip_head)
    page = client.get(reverse("vip_review"), {"week": WEEK}).content.decode()
    assert f"{reverse('vip_review_print')}?week=2026-06-08" in page
    body = client.get(reverse("vip_review_print"), {"week": "2026-06-08"}).content.decode()
    assert 'class="print-sheet"' in body
    assert "Обрывы связи" in body
    assert "navbar" not in body
