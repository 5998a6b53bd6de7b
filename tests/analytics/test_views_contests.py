"""The contest pages and API: who opens what, the head's form (400 keeping what was typed), the board with one's
own row marked, the Excel, query counts that do not grow with the rows."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analytics.models import Contest
from tests.analytics.contest_helpers import make_contest, sold
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import UserFactory

pytestmark = pytest.mark.django_db
ROLES = [
    "head",
    "admin_user",
    "team_lead",
    "manager",
    "teammate",
    "other_manager",
    "vip_head",
    "service_owner",
    "base_manager",
]


@pytest.fixture
def contest(head, manager, other_manager):
    sold(manager, "30000", date(2026, 11, 3))
    sold(other_manager, "30000", date(2026, 11, 3))
    return make_contest(head, [manager, other_manager], quotas={manager.pk: "60000", other_manager.pk: "20000"})


# who: list page status, sees the contest in it, detail status, API list status, API detail status
VISIBILITY = {
    "head": (200, True, 200, 200, 200),
    "admin_user": (200, True, 200, 200, 200),
    "team_lead": (200, True, 200, 200, 200),  # his team's manager takes part
    "manager": (200, True, 200, 200, 200),
    "teammate": (200, False, 404, 200, 404),  # not a participant
    "other_manager": (200, True, 200, 200, 200),
    "vip_head": (200, False, 404, 200, 404),
    "service_owner": (403, False, 403, 403, 403),
    "base_manager": (403, False, 403, 403, 403),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_opens_the_pages_and_the_api(client, request, contest, who):
    user = request.getfixturevalue(who)
    page, listed, detail, api_list, api_detail = VISIBILITY[who]
    client.force_login(user)
    response = client.get(reverse("analytics_contest_list"))
    assert response.status_code == page
    if page == 200:
        assert (contest.name in response.content.decode()) == listed
    assert client.get(reverse("analytics_contest_detail", args=[contest.pk])).status_code == detail
    assert client.get(reverse("analytics_contest_export", args=[contest.pk])).status_code == detail
    api = api_as(user)
    answer = api.get("/api/v1/analytics/contests/")
    assert answer.status_code == api_list
    if api_list == 200:
        assert ([row["id"] for row in answer.json()] == [contest.pk]) == listed
    assert api.get(f"/api/v1/analytics/contests/{contest.pk}/").status_code == api_detail
    heads = 200 if who in ("head", "admin_user") else 403
    assert client.get(reverse("analytics_contest_create")).status_code == heads
    assert client.get(reverse("analytics_contest_edit", args=[contest.pk])).status_code == heads
    assert client.post(reverse("analytics_contest_create"), {"name": "x"}).status_code == (400 if heads == 200 else 403)


def test_a_participant_sees_the_whole_board_with_his_row_marked(client, manager, other_manager, contest):
    client.force_login(manager)
    page = client.get(reverse("analytics_contest_detail", args=[contest.pk]), {"as_of": "2026-12-01"})
    text = page.content.decode()
    # other_manager 30 000 / 20 000 = 150 %, manager 30 000 / 60 000 = 50 %
    rows = page.context["board"].rows
    assert [(r.position, r.user, r.percent, r.is_me) for r in rows] == [
        (1, other_manager, 150, False),
        (2, manager, 50, True),
    ]
    assert text.count('data-me="1"') == 1
    assert "30\xa0000\xa0₽" in text and "60\xa0000\xa0₽" in text and "150,0 %" in text
    assert "Вы на 2-м месте из 2." in text
    assert "1 место: 30 000 ₽" in text
    assert page.context["board"].status == "finished"


def test_no_quota_shows_as_such(client, head, manager, other_manager):
    contest = make_contest(head, [manager, other_manager], quotas={manager.pk: "0"})
    client.force_login(head)
    text = client.get(reverse("analytics_contest_detail", args=[contest.pk])).content.decode()
    assert "нет квоты" in text


def test_the_excel_has_the_board(client, head, contest, manager, other_manager):
    client.force_login(head)
    response = client.get(reverse("analytics_contest_export", args=[contest.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(v[0], v[1]) for v in values] == [(1, str(other_manager)), (2, str(manager))]
    assert [float(v[4]) for v in values] == [150.0, 50.0]


def form_data(people, **change):
    data = {
        "name": "Декабрь",
        "metric": "paid_sales",
        "start": "2026-12-01",
        "end": "2026-12-31",
        "prizes": "Поездка",
        "default_quota": "100000",
        "participants": [p.pk for p in people],
    }
    data.update(change)
    return data


def test_the_head_creates_and_edits_a_contest(client, head, manager, other_manager):
    client.force_login(head)
    data = form_data([manager, other_manager], **{f"quota_{manager.pk}": "50000"})
    response = client.post(reverse("analytics_contest_create"), data)
    contest = Contest.objects.get(name="Декабрь")
    assert response.status_code == 302 and response["Location"] == reverse(
        "analytics_contest_detail", args=[contest.pk]
    )
    assert {(e.user, e.quota) for e in contest.entries.all()} == {(manager, 50000), (other_manager, 100000)}
    assert contest.created_by == head
    edit = client.get(reverse("analytics_contest_edit", args=[contest.pk]))
    assert 'value="50000' in edit.content.decode()
    client.post(reverse("analytics_contest_edit", args=[contest.pk]), form_data([manager, other_manager], name="Дек"))
    contest.refresh_from_db()
    assert contest.name == "Дек" and {e.quota for e in contest.entries.all()} == {100000}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": "2026-11-30"}, "end", "не может закончиться раньше"),
        ({"participants": "one"}, "participants", "не меньше 2 участников"),
        ({"start": "32.13.2026"}, "start", "Введите правильную дату"),
        ({"default_quota": ""}, "default_quota", "Укажите квоту каждому участнику"),
        ({"default_quota": "-5"}, "default_quota", "больше либо равно 0"),
    ],
)
def test_bad_input_is_a_400_keeping_what_was_typed(client, head, manager, other_manager, change, field, message):
    client.force_login(head)
    data = form_data([manager, other_manager])
    if change.get("participants") == "one":
        change = {"participants": [manager.pk]}
    data.update(change)
    response = client.post(reverse("analytics_contest_create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in response.content.decode()
    assert 'value="Декабрь"' in response.content.decode()
    assert Contest.objects.count() == 0


def test_the_api_creates_for_the_head_only(head, manager, other_manager, vip_head):
    body = {
        "name": "Анкеты",
        "metric": "questionnaires",
        "start": "2026-12-01",
        "end": "2026-12-31",
        "default_quota": "5",
        "participants": [{"user": manager.pk, "quota": "8"}, {"user": other_manager.pk}],
    }
    assert api_as(manager).post("/api/v1/analytics/contests/", body, format="json").status_code == 403
    answer = api_as(head).post("/api/v1/analytics/contests/", body, format="json")
    assert answer.status_code == 201
    assert {(r["user"], r["quota"]) for r in answer.json()["rows"]} == {
        (manager.pk, "8.00"),
        (other_manager.pk, "5.00"),
    }
    for bad, field in [
        ({"end": "2026-11-01"}, "end"),
        ({"participants": [{"user": manager.pk}]}, "participants"),
        ({"participants": [{"user": manager.pk}, {"user": vip_head.pk}]}, "participants"),
        ({"participants": [{"user": manager.pk}, {"user": 999999}]}, "participants"),
        ({"metric": "dance"}, "metric"),
        ({"start": "²"}, "start"),
    ]:
        answer = api_as(head).post("/api/v1/analytics/contests/", {**body, **bad}, format="json")
        assert answer.status_code == 400 and field in field_errors(answer), answer.json()
    assert api_as(head).get("/api/v1/analytics/contests/", {"as_of": "bad"}).status_code == 400


def test_the_api_board(manager, other_manager, contest):
    board = api_as(manager).get(f"/api/v1/analytics/contests/{contest.pk}/", {"as_of": "2026-11-15"}).json()
    assert board["status"] == "running" and board["counted_to"] == "2026-11-15"
    assert board["contest"]["participant_count"] == 2 and board["contest"]["status"] == "running"
    assert [(r["position"], r["user"], r["percent"], r["is_me"]) for r in board["rows"]] == [
        (1, other_manager.pk, "150.00", False),
        (2, manager.pk, "50.00", True),
    ]


def test_query_counts_do_not_grow_with_rows(client, head, django_assert_max_num_queries):
    client.force_login(head)
    api = api_as(head)
    for size in (2, 10):
        people = [UserFactory(role="manager") for _ in range(size)]
        for person in people:
            sold(person, "1000", date(2026, 11, 3))
        contest = make_contest(head, people, name=f"К{size}")
        for _ in range(size):
            make_contest(head, people[:2], name=f"Ещё {size}")
        with django_assert_max_num_queries(8):
            assert client.get(reverse("analytics_contest_list")).status_code == 200
        with django_assert_max_num_queries(9):
            assert client.get(reverse("analytics_contest_detail", args=[contest.pk])).status_code == 200
        with django_assert_max_num_queries(5):
            assert api.get("/api/v1/analytics/contests/").status_code == 200
        with django_assert_max_num_queries(6):
            assert api.get(f"/api/v1/analytics/contests/{contest.pk}/").status_code == 200
        with django_assert_max_num_queries(9):
            assert client.get(reverse("analytics_contest_create")).status_code == 200


def test_my_day_shows_the_running_contest_to_its_participants_only(client, head, manager, other_manager, teammate):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    sold(manager, "30000", today)
    make_contest(
        head,
        [manager, other_manager],
        start=today - timedelta(days=2),
        end=today + timedelta(days=5),
        name="Идёт сейчас",
        quotas={manager.pk: "60000", other_manager.pk: "20000"},
    )
    make_contest(
        head, [manager, other_manager], start=today - timedelta(days=40), end=today - timedelta(days=10), name="Прошлый"
    )
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="contest-widget"' in html and "Идёт сейчас" in html and "Прошлый" not in html
    assert html.count('data-testid="contest-widget-me"') == 1 and "50,0 %" in html
    client.force_login(teammate)
    assert 'data-testid="contest-widget"' not in client.get(reverse("home")).content.decode()
