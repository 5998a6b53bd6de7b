"""The top bar's bell (the user's own tasks due within his reminder minutes, and overdue ones) and /me/settings/."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import ChangeLog, User
from crm.selectors.reminders import BELL_ROWS, bell_tasks
from crm.views import reminders as reminder_views
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
BELL = "/reminders/bell/"
SETTINGS = "/me/settings/"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(reminder_views, "clock", lambda: NOW)


def task(owner, subject, minutes, *, client=None, deal=None, done=False):
    """A task due `minutes` from NOW (negative: overdue)."""
    client = client or (deal.client if deal else ClientFactory(owner=owner))
    return ActivityFactory(
        client=client,
        deal=deal,
        owner=owner,
        kind="task",
        subject=subject,
        due_at=NOW + timedelta(minutes=minutes),
        done_at=NOW if done else None,
    )


def bell_count(html):
    match = re.search(r'data-testid="bell-count">(\d+)<', html)
    return int(match.group(1)) if match else 0


def bell_subjects(response):
    return [t.subject for t in response.context["bell"].tasks]


def test_the_urls_are_where_the_top_bar_and_the_user_menu_look_for_them():
    assert reverse("reminder_bell") == BELL
    assert reverse("my_settings") == SETTINGS


def test_bell_counts_tasks_due_within_the_users_minutes_and_overdue_ones(client, manager):
    task(manager, "Просрочена вчера", -24 * 60)
    task(manager, "Через 10 минут", 10)
    task(manager, "Через 14 минут", 14)
    task(manager, "Через 16 минут", 16)
    task(manager, "Завтра", 24 * 60)
    task(manager, "Уже сделана", -5, done=True)
    client.force_login(manager)

    response = client.get(BELL)

    assert response.status_code == 200
    assert bell_subjects(response) == ["Просрочена вчера", "Через 10 минут", "Через 14 минут"]
    html = response.content.decode()
    assert bell_count(html) == 3
    assert "Через 16 минут" not in html and "Завтра" not in html and "Уже сделана" not in html
    assert "Просрочено" in html and "30.11.2026 10:00" in html and "01.12.2026 10:10" in html


def test_bell_follows_the_users_own_minutes(client, manager):
    task(manager, "Через 50 минут", 50)
    task(manager, "Просрочена", -1)
    client.force_login(manager)

    assert bell_count(client.get(BELL).content.decode()) == 1
    manager.reminder_minutes = 60
    manager.save()
    assert bell_count(client.get(BELL).content.decode()) == 2
    manager.reminder_minutes = 0  # no advance reminder: the overdue task only
    manager.save()
    assert bell_subjects(client.get(BELL)) == ["Просрочена"]


def test_bell_moves_with_the_clock(manager):
    task(manager, "В 10:30", 30)

    assert bell_tasks(user=manager, now=NOW).count == 0
    assert bell_tasks(user=manager, now=NOW + timedelta(minutes=16)).count == 1
    assert bell_tasks(user=manager, now=NOW + timedelta(minutes=31)).overdue == 1


def test_bell_lists_subject_client_due_time_and_a_link(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager, name="ООО «Ромашка»"), title="Поставка картона")
    on_deal = task(manager, "Позвонить по сделке", 5, deal=deal)
    on_client = task(manager, "Позвонить клиенту", 7)
    client.force_login(manager)

    html = client.get(BELL).content.decode()

    assert "Позвонить по сделке" in html and "ООО «Ромашка»" in html and "Поставка картона" in html
    assert f'href="/deals/{on_deal.deal_id}/"' in html
    assert f'href="/clients/{on_client.client_id}/"' in html
    assert "01.12.2026 10:05" in html


def test_bell_shows_only_the_users_own_tasks(client, manager, teammate, team_lead, other_manager, head):
    task(manager, "Моя задача", 5)
    # The teammate's task on the manager's own client: visible to the manager, but not his to do.
    task(teammate, "Задача коллеги", 5, client=ClientFactory(owner=manager))
    task(other_manager, "Чужая задача", 5)
    task(team_lead, "Задача руководителя", 5)

    for user, expected in [
        (manager, ["Моя задача"]),
        (other_manager, ["Чужая задача"]),
        (team_lead, ["Задача руководителя"]),
        (head, []),
    ]:
        client.force_login(user)
        assert bell_subjects(client.get(BELL)) == expected, user.username


def test_vip_head_and_base_manager_see_their_own_tasks(client, vip_head, base_manager, manager):
    seller_client = ClientFactory(owner=manager)
    task(vip_head, "Анкета VIP", 5, client=seller_client)
    task(base_manager, "Проверить базу", -5, client=seller_client)

    client.force_login(vip_head)
    assert bell_subjects(client.get(BELL)) == ["Анкета VIP"]
    client.force_login(base_manager)
    assert bell_subjects(client.get(BELL)) == ["Проверить базу"]


def test_service_owner_gets_an_empty_bell_without_a_query(client, service_owner, manager):
    task(manager, "Задача", 5)
    client.force_login(service_owner)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(BELL)

    assert response.status_code == 200
    assert response.context["bell"] is None
    assert "bell-toggle" not in response.content.decode()
    assert not [q for q in captured.captured_queries if "crm_activity" in q["sql"]]


def test_nothing_due_shows_the_bell_without_a_counter(client, manager):
    client.force_login(manager)

    html = client.get(BELL).content.decode()

    assert "bell-toggle" in html and "bell-count" not in html
    assert "В ближайшее время задач нет." in html


def test_anonymous_visitors_go_to_the_login_page(client):
    for url in (BELL, SETTINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_poll_after_the_session_ended_empties_the_bell_instead_of_showing_the_login_page(client):
    response = client.get(BELL, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.content == b""


def test_bell_query_count_is_constant_in_rows(client, manager):
    client.force_login(manager)
    task(manager, "Первая", 5)

    with CaptureQueriesContext(connection) as one:
        assert bell_count(client.get(BELL).content.decode()) == 1
    for n in range(BELL_ROWS + 5):
        deal = DealFactory(client=ClientFactory(owner=manager))
        task(manager, f"Задача {n}", -n, deal=deal)
    with CaptureQueriesContext(connection) as many:
        response = client.get(BELL)

    assert bell_count(response.content.decode()) == BELL_ROWS + 6
    assert len(response.context["bell"].tasks) == BELL_ROWS
    assert "Ещё 6" in response.content.decode()
    assert len(many) == len(one)


def test_top_bar_polls_the_bell_every_minute_and_links_my_settings(client, manager, service_owner):
    client.force_login(manager)

    html = client.get(reverse("home")).content.decode()

    assert f'hx-get="{BELL}"' in html and 'hx-trigger="load, every 60s"' in html
    assert f'href="{SETTINGS}"' in html
    client.force_login(service_owner)
    html = client.get(reverse("home")).content.decode()
    assert f'hx-get="{BELL}"' not in html
    assert f'href="{SETTINGS}"' in html


# --- /me/settings/ ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "team_lead", "head", "vip_head", "base_manager", "service_owner"])
def test_every_role_opens_and_saves_its_own_settings(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert page.context["form"]["reminder_minutes"].value() == 15
    response = client.post(SETTINGS, {"reminder_minutes": "30"})  # an unticked box is not sent

    assert response.status_code == 302 and response["Location"] == SETTINGS
    user.refresh_from_db()
    assert (user.reminder_minutes, user.digest_email) == (30, False)


def test_new_users_are_reminded_15_minutes_ahead_and_get_the_digest(manager):
    fresh = User.objects.get(pk=manager.pk)

    assert (fresh.reminder_minutes, fresh.digest_email) == (15, True)


def test_saving_changes_only_the_users_own_record_and_logs_it(client, manager, other_manager):
    client.force_login(manager)

    client.post(SETTINGS, {"reminder_minutes": "0", "digest_email": "on"})

    manager.refresh_from_db()
    other_manager.refresh_from_db()
    assert (manager.reminder_minutes, manager.digest_email) == (0, True)
    assert (other_manager.reminder_minutes, other_manager.digest_email) == (15, True)
    log = ChangeLog.objects.get(object_id=manager.pk, content_type__model="user")
    assert log.by == manager and log.changes == {"reminder_minutes": [15, 0]}


def test_the_page_cannot_be_aimed_at_another_user(client, manager, other_manager):
    client.force_login(manager)

    client.post(f"{SETTINGS}?user={other_manager.pk}", {"reminder_minutes": "45", "user": other_manager.pk})

    other_manager.refresh_from_db()
    manager.refresh_from_db()
    assert other_manager.reminder_minutes == 15 and manager.reminder_minutes == 45


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1441", "меньше либо равно 1440"),
        ("-5", "больше либо равно 0"),
        ("пять", "Введите целое число"),
        ("", "Обязательное поле"),
    ],
)
def test_a_wrong_number_is_shown_under_the_field_and_what_was_typed_stays(client, manager, typed, message):
    client.force_login(manager)

    response = client.post(SETTINGS, {"reminder_minutes": typed})

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["reminder_minutes"]
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html or (typed == "" and 'name="reminder_minutes"' in html)
    assert 'id="id_reminder_minutes_errors"' in html
    manager.refresh_from_db()
    assert (manager.reminder_minutes, manager.digest_email) == (15, True)


def test_the_untouched_box_keeps_its_state_after_an_error(client, manager):
    client.force_login(manager)

    html = client.post(SETTINGS, {"reminder_minutes": "5000"}).content.decode()

    digest_box = re.search(r'<input[^>]*name="digest_email"[^>]*>', html).group(0)
    assert "checked" not in digest_box
    assert 'value="5000"' in html


def test_a_user_without_an_email_is_told_the_digest_cannot_reach_him(client, manager):
    manager.email = ""
    manager.save()
    client.force_login(manager)

    assert "не указана почта" in client.get(SETTINGS).content.decode()
