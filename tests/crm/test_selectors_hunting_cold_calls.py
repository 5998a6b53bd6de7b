"""Cold calls against the head's daily norm: the selector, My day and the head's review."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import ColdCallNorm, DepartmentSettings, User
from crm.selectors.hunting import cold_call_progress
from tests.crm.factories import ActivityFactory, ClientFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 7)


def at(day, hour):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def cold_call(owner, when, client=None, **extra):
    client = client or ClientFactory(owner=owner, status="prospect")
    extra.setdefault("direction", "out")
    return ActivityFactory(client=client, owner=owner, done_at=when, **extra)


def numbers():
    settings = DepartmentSettings.current()
    return {"default_norm": settings.default_cold_calls, "new_client_months": settings.new_client_after_months}


def progress_of(users, day=DAY):
    return {row.manager: (row.norm, row.done) for row in cold_call_progress(users, day, **numbers())}


def test_the_norm_is_the_managers_own_else_the_departments_default(head, manager, teammate):
    settings = DepartmentSettings.current()
    settings.default_cold_calls = 25
    settings.save()
    ColdCallNorm.objects.create(manager=manager, daily_calls=40, set_by=head)

    result = progress_of(User.objects.filter(pk__in=[manager.pk, teammate.pk]))

    assert result == {manager: (40, 0), teammate: (25, 0)}


def test_only_outgoing_done_calls_that_day_to_clients_that_never_bought_count(manager):
    cold_call(manager, at(DAY, 10))
    cold_call(manager, at(DAY, 23))
    cold_call(manager, at(DAY - timedelta(days=1), 12))  # yesterday
    cold_call(manager, at(DAY, 11), direction="in")  # incoming
    cold_call(manager, None, due_at=at(DAY, 15))  # planned, not done
    cold_call(manager, at(DAY, 12), kind="meeting")  # not a call
    buyer = ClientFactory(owner=manager, status="active")
    SaleLineFactory(client=buyer, date=DAY - timedelta(days=40))
    cold_call(manager, at(DAY, 13), client=buyer)  # a client who bought: a warm call
    first_sale_today = ClientFactory(owner=manager)
    SaleLineFactory(client=first_sale_today, date=DAY)
    cold_call(manager, at(DAY, 14), client=first_sale_today)  # had not bought before the day: cold

    assert progress_of(User.objects.filter(pk=manager.pk)) == {manager: (30, 3)}


def test_progress_against_the_norm(manager):
    ColdCallNorm.objects.create(manager=manager, daily_calls=2)
    cold_call(manager, at(DAY, 10))

    (row,) = cold_call_progress(User.objects.filter(pk=manager.pk), DAY, **numbers())
    assert (row.percent, row.met) == (50, False)
    cold_call(manager, at(DAY, 11))
    (row,) = cold_call_progress(User.objects.filter(pk=manager.pk), DAY, **numbers())
    assert (row.percent, row.met) == (100, True)


def test_progress_is_one_query_whatever_the_number_of_managers(manager, teammate, other_manager):
    for user in (manager, teammate, other_manager):
        cold_call(user, at(DAY, 10))

    kwargs = numbers()
    with CaptureQueriesContext(connection) as captured:
        cold_call_progress(User.objects.sellers(), DAY, **kwargs)

    assert len(captured) == 1


def test_my_day_shows_the_managers_own_progress(client, manager, teammate):
    ColdCallNorm.objects.create(manager=manager, daily_calls=5)
    cold_call(manager, timezone.now())
    client.force_login(manager)

    response = client.get(reverse("home"))

    widget = response.context["cold_calls"]
    assert [(r.manager, r.norm, r.done) for r in widget["rows"]] == [(manager, 5, 1)]
    assert 'data-testid="cold-calls"' in response.content.decode()


def test_the_team_lead_sees_the_teams_progress_on_my_day(client, team_lead, manager, other_manager):
    client.force_login(team_lead)

    rows = client.get(reverse("home")).context["cold_calls"]["rows"]

    assert {r.manager for r in rows} == {team_lead, manager}


def test_the_heads_review_shows_every_sellers_progress(client, head, manager, other_manager):
    cold_call(other_manager, timezone.now())
    client.force_login(head)

    response = client.get(reverse("pipeline_review"))

    rows = {r.manager: r.done for r in response.context["cold_calls"]["rows"]}
    assert rows == {manager: 0, other_manager: 1}
    assert 'data-testid="cold-calls"' in response.content.decode()


def test_a_call_to_a_client_that_stopped_buying_for_the_new_client_months_is_a_cold_call(manager):
    lapsed = ClientFactory(owner=manager)
    SaleLineFactory(client=lapsed, date=date(2026, 6, 30))  # nothing since July: 5 full months before December
    lately = ClientFactory(owner=manager)
    SaleLineFactory(client=lately, date=date(2026, 7, 1))
    cold_call(manager, at(DAY, 10), client=lapsed)
    cold_call(manager, at(DAY, 11), client=lately)
    assert progress_of(User.objects.filter(pk=manager.pk)) == {manager: (30, 1)}

    settings = DepartmentSettings.current()
    settings.new_client_after_months = 4  # the head's number: from August back, July is quiet too
    settings.save()
    assert progress_of(User.objects.filter(pk=manager.pk)) == {manager: (30, 2)}
