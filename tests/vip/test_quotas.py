"""Quotas, campaign progress and staffing over the database, the VIP dashboard page and its API, with tables of
numbers worked by hand (docs/vip.md)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, UserFactory
from vip.models import Campaign, ProgrammeClient, Questionnaire, StaffAssignment
from vip.selectors.quotas import campaign_progress, campaign_staffing, week_quotas, week_start

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 6, 8)  # the campaign fixture runs 2026-06-01 .. 2026-08-30; the manager is part-time in it


def questionnaire(employee, template, day, *, client=None, status=Questionnaire.Status.COMPLETE, campaign=None):
    return Questionnaire.objects.create(
        client=client or ClientFactory(owner=employee),
        employee=employee,
        template=template,
        meeting_date=day,
        status=status,
        campaign=campaign,
        paused_at_section="quality" if status == Questionnaire.Status.PAUSED else "",
    )


def entries(n, owner, vip_head):
    return [
        ProgrammeClient.objects.create(client=ClientFactory(owner=owner), added_by=vip_head, assigned_to=owner)
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("offsets", "days", "total", "met"),
    [
        ([], [0, 0, 0, 0, 0, 0, 0], 0, False),
        ([0, 0, 2, 4, 6], [2, 0, 1, 0, 1, 0, 1], 5, True),  # Mon ×2, Wed, Fri, Sun: 5 = the part-time quota
        ([1, 1, 1, 3], [0, 3, 0, 1, 0, 0, 0], 4, False),  # one short
        ([-1, 7, 3], [0, 0, 0, 1, 0, 0, 0], 1, False),  # the Sunday before and the Monday after do not count
    ],
)
def test_a_part_time_week(vip_head, manager, template, campaign, offsets, days, total, met):
    for offset in offsets:
        questionnaire(manager, template, MONDAY + timedelta(days=offset))
    questionnaire(manager, template, MONDAY, status=Questionnaire.Status.DRAFT)  # not complete: not counted
    questionnaire(manager, template, MONDAY, status=Questionnaire.Status.PAUSED)

    week_days, people = week_quotas(vip_head, MONDAY + timedelta(days=2))  # any day of the week

    assert week_days[0] == MONDAY and week_days[-1] == date(2026, 6, 14)
    [person] = people
    assert (person.user, person.quota, person.days, person.total, person.met) == (manager, 5, days, total, met)
    assert person.missing == max(5 - total, 0)


@pytest.mark.parametrize(("count", "missing", "met"), [(14, 1, False), (15, 0, True), (16, 0, True)])
def test_a_dedicated_week(vip_head, manager, teammate, template, campaign, count, missing, met):
    StaffAssignment.objects.create(campaign=campaign, user=teammate, load=StaffAssignment.Load.DEDICATED)
    for n in range(count):
        questionnaire(teammate, template, MONDAY + timedelta(days=n % 5))
    _days, people = week_quotas(vip_head, MONDAY)
    by_user = {p.user: p for p in people}
    assert (by_user[teammate].quota, by_user[teammate].total, by_user[teammate].missing) == (15, count, missing)
    assert by_user[teammate].met is met
    assert by_user[manager].total == 0


def test_outside_a_campaign_the_staff_are_not_listed_but_someone_who_met_a_client_is(
    vip_head, manager, teammate, template, campaign
):
    questionnaire(teammate, template, date(2026, 9, 7))
    _days, people = week_quotas(vip_head, date(2026, 9, 7))  # after the campaign's end (2026-08-30)
    assert [(p.user, p.quota, p.total) for p in people] == [(teammate, 5, 1)]


@pytest.mark.parametrize(
    ("day", "monday"), [(date(2026, 6, 8), MONDAY), (date(2026, 6, 14), MONDAY), (date(2026, 6, 15), date(2026, 6, 15))]
)
def test_week_start(day, monday):
    assert week_start(day) == monday


def test_campaign_progress(vip_head, manager, template, campaign):
    a, b, c, d = entries(4, manager, vip_head)
    questionnaire(manager, template, date(2026, 6, 10), client=a.client, campaign=campaign)
    questionnaire(manager, template, date(2026, 6, 20), client=a.client, campaign=campaign)  # a met twice: once
    questionnaire(manager, template, date(2026, 7, 1), client=b.client)  # no campaign, within its dates
    questionnaire(manager, template, date(2026, 7, 1), client=c.client, status=Questionnaire.Status.PAUSED)
    questionnaire(manager, template, date(2026, 5, 1), client=d.client)  # before the campaign
    questionnaire(manager, template, date(2026, 7, 1))  # a client not on the list
    progress = campaign_progress(vip_head, campaign)
    assert (progress.met, progress.total, progress.percent) == (2, 4, 50)


def test_campaign_staffing_from_the_tiers_and_the_staff(vip_head, manager, teammate, campaign):
    StaffAssignment.objects.create(campaign=campaign, user=teammate, load=StaffAssignment.Load.DEDICATED)
    tiers = ["monthly"] * 2 + ["quarterly"] * 3 + ["yearly"] * 200
    for entry, tier in zip(entries(len(tiers), manager, vip_head), tiers, strict=True):
        entry.tier = tier
        entry.save(update_fields=["tier"])
    result = campaign_staffing(vip_head, campaign)
    # 2×3 + 3×1 + 200×1 = 209 meetings in 13 weeks; capacity (1×15 + 1×5) × 13 = 260; no gap.
    assert (result.meetings, result.dedicated_needed, result.part_time_needed) == (209, 2, 4)
    assert (result.capacity, result.shortfall, result.dedicated_gap) == (260, -51, 0)


# The page.


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("vip_dashboard"), params)


@pytest.mark.parametrize("who", ["vip_head", "head", "admin_user"])
def test_the_dashboard_for_those_who_run_the_programme(request, client, who, manager, template, campaign, vip_head):
    entry = entries(1, manager, vip_head)[0]
    entry.next_due = date(2020, 1, 1)
    entry.save(update_fields=["next_due"])
    questionnaire(manager, template, MONDAY)
    response = dashboard(client, request.getfixturevalue(who), week="2026-06-10", campaign=campaign.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="vip-quota-row"') == 1
    assert 'data-chart="chart-vip-quotas-option"' in html and "chart-vip-quotas-option" in html
    assert html.count('data-testid="vip-staffing-line"') == 10
    assert html.count('data-testid="vip-overdue-row"') == 1
    assert response.context["people"][0].days == [1, 0, 0, 0, 0, 0, 0]
    assert response.context["chart_option"]["money"] is False


@pytest.mark.parametrize("who", ["manager", "team_lead", "base_manager", "service_owner"])
def test_the_dashboard_is_not_for_others(request, client, who):
    assert dashboard(client, request.getfixturevalue(who)).status_code == 403


def test_the_dashboard_bad_params_answer_400_with_field_errors(client, vip_head, campaign):
    response = dashboard(client, vip_head, week="not-a-date", campaign="999999")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"week", "campaign"}


def test_the_dashboard_query_count_is_constant(client, vip_head, template, campaign, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            person = UserFactory()
            StaffAssignment.objects.create(campaign=campaign, user=person, load=StaffAssignment.Load.DEDICATED)
            entry = entries(1, person, vip_head)[0]
            entry.next_due = date(2020, 1, 1)
            entry.save(update_fields=["next_due"])
            questionnaire(person, template, MONDAY, client=entry.client, campaign=campaign)

    add(1)
    client.force_login(vip_head)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("vip_dashboard"), {"week": "2026-06-08"}).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("vip_dashboard"), {"week": "2026-06-08"})
    assert len(response.context["people"]) == 8 and len(response.context["overdue"]) == 7


def test_the_menu_and_the_home_card(client, vip_head, manager):
    client.force_login(vip_head)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-vip-dashboard"' in html and 'data-testid="home-link-vip_dashboard"' in html
    client.force_login(manager)
    assert 'data-testid="nav-vip-dashboard"' not in client.get(reverse("home")).content.decode()


# The API.


def test_api_quotas(vip_head, manager, template, campaign):
    questionnaire(manager, template, MONDAY + timedelta(days=1))
    response = api_as(vip_head).get("/api/v1/vip/quotas/", {"week": "2026-06-11"})
    assert response.status_code == 200
    data = response.json()
    assert data["days"][0] == "2026-06-08"
    assert [(p["user"], p["days"], p["total"], p["quota"], p["met"]) for p in data["people"]] == [
        (manager.pk, [0, 1, 0, 0, 0, 0, 0], 1, 5, False)
    ]


def test_api_staffing(vip_head, manager, campaign):
    entries(3, manager, vip_head)  # 3 yearly clients: 3 meetings; 1 part-time: capacity 5 × 13 = 65
    data = api_as(vip_head).get("/api/v1/vip/staffing/", {"campaign": campaign.pk}).json()
    assert (data["meetings"], data["capacity"], data["shortfall"], data["part_time_gap"]) == (3, 65, -62, 0)
    assert data["lines"][3] == {"label": "Meetings in the campaign", "expression": "0 + 0 + 3", "result": 3}
    assert data["progress"] == {"campaign": campaign.pk, "total": 3, "met": 0, "percent": 0}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/vip/quotas/", {}, "week"),
        ("/api/v1/vip/quotas/", {"week": "2026-13-01"}, "week"),
        ("/api/v1/vip/staffing/", {}, "campaign"),
        ("/api/v1/vip/staffing/", {"campaign": "abc"}, "campaign"),
        ("/api/v1/vip/staffing/", {"campaign": "999999"}, "campaign"),
    ],
)
def test_api_bad_params_400(vip_head, path, params, field):
    response = api_as(vip_head).get(path, params)
    assert response.status_code == 400
    assert field in field_errors(response)


@pytest.mark.parametrize("who", ["manager", "team_lead", "base_manager", "service_owner"])
@pytest.mark.parametrize("path", ["/api/v1/vip/quotas/?week=2026-06-08", "/api/v1/vip/staffing/?campaign=1"])
def test_api_not_for_others(request, who, path):
    assert api_as(request.getfixturevalue(who)).get(path).status_code == 403


def test_api_anonymous(api):
    assert api.get("/api/v1/vip/quotas/?week=2026-06-08").status_code in (401, 403)


def test_api_staffing_of_a_campaign_without_staff(vip_head):
    other = Campaign.objects.create(name="Осень", start=date(2026, 9, 1), weeks=8)
    data = api_as(vip_head).get("/api/v1/vip/staffing/", {"campaign": other.pk}).json()
    assert data["weeks"] == 8 and data["dedicated_assigned"] == 0


@pytest.mark.russian
def test_the_dashboard_in_russian_without_params(client, vip_head, manager, campaign, settings):
    settings.LANGUAGE_CODE = "ru"
    entries(2, manager, vip_head)
    response = dashboard(client, vip_head)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["campaign"] == campaign  # the latest started campaign when none runs today
    assert "Панель VIP-программы" in html and "Частота встреч по Парето" in html
    assert "Встреч за кампанию" in html and "Staffing" not in html


def test_the_dashboard_sends_the_anonymous_to_log_in(client):
    response = client.get(reverse("vip_dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_api_quotas_query_count_is_constant(vip_head, template, campaign, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            person = UserFactory()
            StaffAssignment.objects.create(campaign=campaign, user=person, load=StaffAssignment.Load.DEDICATED)
            questionnaire(person, template, MONDAY)

    api = api_as(vip_head)
    add(1)
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/v1/vip/quotas/", {"week": "2026-06-08"}).status_code == 200
    add(5)
    with django_assert_max_num_queries(len(one)):
        data = api.get("/api/v1/vip/quotas/", {"week": "2026-06-08"}).json()
    assert len(data["people"]) == 7
