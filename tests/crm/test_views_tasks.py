"""Tasks: the list and its groups, the task form, logging a call from a task, the calendar feed and a task's move."""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Activity, ChangeLog
from crm.rules.stages import Stage
from crm.selectors.tasks import TaskFilters, task_list
from crm.services.activities import activity_create, call_log_with_next_task, task_move
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory

MONDAY = date(2030, 3, 4)  # a fixed "today" for the groups: Monday 4 March 2030


def at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def task(owner, *, due, subject="Задача", client=None, deal=None, kind="task", done_at=None):
    client = client or (deal.client if deal else ClientFactory(owner=owner))
    return ActivityFactory(
        kind=kind, client=client, deal=deal, owner=owner, subject=subject, due_at=due, done_at=done_at, note=""
    )


def keys(result):
    return {g.key: [t.subject for t in g.tasks] for g in result.groups}


def login(client, user):
    client.force_login(user)
    return client


# The groups, with a fixed today.


def test_the_groups_split_planned_tasks_by_the_day_they_are_due_and_list_those_done_in_30_days(manager):
    client = ClientFactory(owner=manager)
    task(manager, client=client, due=at(MONDAY - timedelta(days=1)), subject="вчера")
    task(manager, client=client, due=at(MONDAY, 0, 0), subject="сегодня с утра")
    task(manager, client=client, due=at(MONDAY, 23, 59), subject="сегодня вечером")
    task(manager, client=client, due=at(MONDAY + timedelta(days=1)), subject="завтра")
    task(manager, client=client, due=at(MONDAY + timedelta(days=6), 23), subject="в воскресенье")
    task(manager, client=client, due=at(MONDAY + timedelta(days=7), 0), subject="в следующий понедельник")
    task(manager, client=client, due=at(MONDAY), subject="сделано", done_at=at(MONDAY - timedelta(days=29)))
    task(manager, client=client, due=at(MONDAY), subject="давно", done_at=at(MONDAY - timedelta(days=31)))

    result = task_list(user=manager, today=MONDAY)

    assert keys(result) == {
        "overdue": ["вчера"],
        "today": ["сегодня с утра", "сегодня вечером"],
        "week": ["завтра", "в воскресенье"],
        "later": ["в следующий понедельник"],
    }
    assert [t.subject for t in result.done] == ["сделано"]


def test_on_a_sunday_this_week_is_empty_and_monday_is_later(manager):
    sunday = MONDAY + timedelta(days=6)
    task(manager, due=at(sunday + timedelta(days=1)), subject="понедельник")

    result = task_list(user=manager, today=sunday)

    assert keys(result)["week"] == [] and keys(result)["later"] == ["понедельник"]


def test_the_filters_narrow_by_owner_client_deal_kind_and_text(team_lead, manager, teammate):
    mine = ClientFactory(owner=manager, name="ООО Ромашка")
    deal = DealFactory(client=mine, stage=Stage.PROPOSAL)
    task(manager, client=mine, due=at(MONDAY), subject="Позвонить бухгалтеру")
    task(manager, deal=deal, due=at(MONDAY), subject="Отправить КП")
    task(manager, client=mine, due=at(MONDAY), subject="Встреча", kind="meeting")
    task(teammate, due=at(MONDAY), subject="Чужая по команде")

    def subjects(**kw):
        return sorted(
            s for g in keys(task_list(user=team_lead, today=MONDAY, filters=TaskFilters(**kw))).values() for s in g
        )

    assert subjects() == ["Встреча", "Отправить КП", "Позвонить бухгалтеру", "Чужая по команде"]
    assert subjects(owner=teammate) == ["Чужая по команде"]
    assert subjects(client_id=mine.pk) == ["Встреча", "Отправить КП", "Позвонить бухгалтеру"]
    assert subjects(deal_id=deal.pk) == ["Отправить КП"]
    assert subjects(kind="meeting") == ["Встреча"]
    assert subjects(text="бухгалтер") == ["Позвонить бухгалтеру"]
    assert subjects(text="ромашка") == ["Встреча", "Отправить КП", "Позвонить бухгалтеру"]


# The page.


def test_the_page_shows_the_groups_links_and_buttons_of_the_users_tasks_only(client, manager, other_manager):
    today = timezone.localdate()
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    mine = task(manager, deal=deal, due=at(today - timedelta(days=3)), subject="Моя просроченная")
    task(other_manager, due=at(today), subject="Чужая задача")

    html = login(client, manager).get(reverse("task_list")).content.decode()

    assert "Моя просроченная" in html and "Чужая задача" not in html
    assert 'data-testid="tasks-overdue-count">1<' in html
    assert reverse("deal_detail", args=[deal.pk]) in html and reverse("client_detail", args=[deal.client_id]) in html
    assert reverse("activity_complete", args=[mine.pk]) in html
    assert f"{reverse('call_log', args=[deal.client_id])}?task={mine.pk}" in html
    assert reverse("task_update", args=[mine.pk]) in html


def test_the_page_filters_from_the_query_and_ignores_a_bad_filter(client, manager):
    today = timezone.localdate()
    task(manager, due=at(today), subject="Позвонить")
    task(manager, due=at(today), subject="Встретиться", kind="meeting")

    page = login(client, manager).get(reverse("task_list"), {"kind": "meeting", "client": "abc"})

    html = page.content.decode()
    assert page.status_code == 200 and "Встретиться" in html and "Позвонить" not in html


def test_a_manager_cannot_filter_by_another_managers_tasks(client, manager, other_manager):
    task(other_manager, due=at(timezone.localdate()), subject="Чужая задача")

    html = login(client, manager).get(reverse("task_list"), {"owner": other_manager.pk}).content.decode()

    assert "Чужая задача" not in html and 'name="owner"' not in html


def test_the_head_filters_by_any_manager(client, head, manager, other_manager):
    task(manager, due=at(timezone.localdate()), subject="Задача Иванова")
    task(other_manager, due=at(timezone.localdate()), subject="Задача Петрова")

    html = login(client, head).get(reverse("task_list"), {"owner": other_manager.pk}).content.decode()

    assert "Задача Петрова" in html and "Задача Иванова" not in html


def make_tasks(owner, n):
    today = timezone.localdate()
    for i in range(n):
        deal = DealFactory(client=ClientFactory(owner=owner), stage=Stage.PROPOSAL)
        for offset in (-2, 0, 2, 20):
            task(owner, deal=deal, due=at(today + timedelta(days=offset)), subject=f"Задача {i}")
        task(owner, deal=deal, due=at(today), subject=f"Сделано {i}", done_at=timezone.now())


@pytest.mark.parametrize("role", ["manager", "head"])
def test_the_page_makes_as_many_queries_for_one_task_as_for_thirty(client, request, manager, role):
    user = request.getfixturevalue(role)
    login(client, user)
    make_tasks(manager, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("task_list")).status_code == 200
    make_tasks(manager, 29)
    with CaptureQueriesContext(connection) as thirty:
        html = client.get(reverse("task_list")).content.decode()
    # Each group shows its first 25 (GROUP_ROWS) and counts them all; the done ones are paged by 30.
    assert html.count('data-testid="task-row"') == 25 * 4 + 30
    for key in ("overdue", "today", "week", "later"):
        assert f'data-testid="tasks-{key}-count">30<' in html
    assert len(thirty) == len(one)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("team_lead", 200),
        ("head", 200),
        ("vip_head", 200),
        ("base_manager", 200),
        ("service_owner", 403),
    ],
)
def test_every_role_that_works_clients_opens_the_list_and_the_calendar(client, request, role, status):
    login(client, request.getfixturevalue(role))
    for name in ("task_list", "task_calendar", "task_create"):
        assert client.get(reverse(name)).status_code == status, name
    feed = client.get(reverse("task_calendar_feed"), {"start": "2030-03-04", "end": "2030-03-11"})
    assert feed.status_code == status


def test_the_vip_head_sees_his_own_tasks_only(client, vip_head, manager):
    vip_client = ClientFactory(owner=manager)
    task(vip_head, client=vip_client, due=at(timezone.localdate()), subject="Задача VIP")
    task(manager, client=vip_client, due=at(timezone.localdate()), subject="Задача менеджера")

    html = login(client, vip_head).get(reverse("task_list")).content.decode()

    assert "Задача VIP" in html and "Задача менеджера" not in html


# The form.


def form_data(client_obj, **overrides):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "subject": "Перезвонить по счёту",
        "client": client_obj.pk,
        "deal": "",
        "due_date": tomorrow.isoformat(),
        "due_time": "11:30",
        "note": "Спросить про оплату",
    }
    data.update(overrides)
    return data


def test_a_manager_plans_a_task_on_his_clients_deal_and_the_change_log_records_it(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    login(client, manager)
    page = client.get(reverse("task_create"), {"deal": deal.pk})
    assert page.status_code == 200 and f'<option value="{deal.pk}" selected>' in page.content.decode()

    response = client.post(reverse("task_create"), form_data(deal.client, deal=deal.pk, owner=999))

    assert response.status_code == 302
    created = Activity.objects.get(subject="Перезвонить по счёту")
    assert (created.kind, created.owner, created.deal, created.done_at) == ("task", manager, deal, None)
    assert timezone.localtime(created.due_at).time() == time(11, 30)
    assert ChangeLog.objects.filter(object_id=created.pk, action=ChangeLog.Action.CREATE).exists()


def test_a_manager_cannot_give_a_task_to_another_even_through_the_service(client, manager, teammate):
    mine = ClientFactory(owner=manager)
    login(client, manager).post(reverse("task_create"), form_data(mine, owner=teammate.pk))
    assert Activity.objects.get(subject="Перезвонить по счёту").owner == manager
    with pytest.raises(ValidationError) as error:
        activity_create(
            by=manager,
            owner=teammate,
            data={"kind": "task", "client": mine, "subject": "x", "due_at": at(timezone.localdate())},
        )
    assert "owner" in error.value.message_dict


def test_the_head_gives_a_task_to_a_manager_who_works_the_client(client, head, manager, other_manager):
    theirs = ClientFactory(owner=manager)
    login(client, head)
    assert 'name="owner"' in client.get(reverse("task_create"), {"client": theirs.pk}).content.decode()

    refused = client.post(reverse("task_create"), form_data(theirs, owner=other_manager.pk))
    assert refused.status_code == 400 and "Перезвонить по счёту" in refused.content.decode()
    assert 'id="id_owner_errors"' in refused.content.decode()

    assert client.post(reverse("task_create"), form_data(theirs, owner=manager.pk)).status_code == 302
    assert Activity.objects.get(subject="Перезвонить по счёту").owner == manager


def test_a_team_lead_gives_tasks_to_his_team_only(client, team_lead, teammate, other_manager):
    login(client, team_lead)
    html = client.get(reverse("task_create")).content.decode()
    assert f'value="{teammate.pk}"' in html and f'value="{other_manager.pk}"' not in html
    client.post(reverse("task_create"), form_data(ClientFactory(owner=teammate), owner=teammate.pk))
    assert Activity.objects.get(subject="Перезвонить по счёту").owner == teammate


def test_errors_are_shown_per_field_and_what_was_typed_is_kept(client, manager):
    mine = ClientFactory(owner=manager)
    other_deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    login(client, manager)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    past = client.post(reverse("task_create"), form_data(mine, due_date=yesterday, subject="Моя тема"))
    wrong_deal = client.post(reverse("task_create"), form_data(mine, deal=other_deal.pk))
    empty = client.post(reverse("task_create"), form_data(mine, subject="", due_time=""))

    assert past.status_code == 400 and 'id="id_due_date_errors"' in past.content.decode()
    assert 'value="Моя тема"' in past.content.decode() and "Спросить про оплату" in past.content.decode()
    assert wrong_deal.status_code == 400 and 'id="id_deal_errors"' in wrong_deal.content.decode()
    assert 'id="id_subject_errors"' in empty.content.decode() and 'id="id_due_time_errors"' in empty.content.decode()
    assert not Activity.objects.exists()


def test_another_managers_client_deal_and_task_answer_404(client, manager, other_manager):
    theirs = ClientFactory(owner=other_manager)
    their_deal = DealFactory(client=theirs, stage=Stage.PROPOSAL)
    their_task = task(other_manager, client=theirs, due=at(timezone.localdate()))
    login(client, manager)

    assert client.get(reverse("task_create"), {"client": theirs.pk}).status_code == 404
    assert client.get(reverse("task_create"), {"deal": their_deal.pk}).status_code == 404
    assert client.get(reverse("task_update", args=[their_task.pk])).status_code == 404
    assert client.post(reverse("task_update", args=[their_task.pk]), form_data(theirs)).status_code == 404
    assert client.post(reverse("task_move", args=[their_task.pk]), {"day": "2030-03-05"}).status_code == 404
    refused = client.post(reverse("task_create"), form_data(theirs))
    assert refused.status_code == 400 and not Activity.objects.filter(subject="Перезвонить по счёту").exists()
    feed = client.get(reverse("task_calendar_feed"), {"start": "2000-01-01", "end": "2000-02-01"})
    assert feed.status_code == 200
    start = (timezone.localdate() - timedelta(days=1)).isoformat()
    end = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert client.get(reverse("task_calendar_feed"), {"start": start, "end": end}).json() == []


def test_editing_a_task_saves_it_through_the_service_and_keeps_an_overdue_day(client, manager):
    old_day = timezone.localdate() - timedelta(days=5)
    mine = task(manager, due=at(old_day, 9), subject="Старая")
    login(client, manager)
    assert 'value="Старая"' in client.get(reverse("task_update", args=[mine.pk])).content.decode()

    kept = client.post(reverse("task_update", args=[mine.pk]), form_data(mine.client, due_date=old_day.isoformat()))

    assert kept.status_code == 302
    mine.refresh_from_db()
    assert mine.subject == "Перезвонить по счёту" and timezone.localtime(mine.due_at).date() == old_day
    assert ChangeLog.objects.filter(object_id=mine.pk, action=ChangeLog.Action.UPDATE).exists()


def test_the_head_reassigns_a_task_in_its_edit(client, head, manager, teammate):
    mine = task(manager, client=ClientFactory(owner=teammate), due=at(timezone.localdate()))
    login(client, head).post(reverse("task_update", args=[mine.pk]), form_data(mine.client, owner=teammate.pk))
    mine.refresh_from_db()
    assert mine.owner == teammate


def test_a_team_lead_editing_the_vip_heads_task_on_his_teams_client_leaves_it_the_vip_heads(
    client, team_lead, manager, vip_head
):
    theirs = task(vip_head, client=ClientFactory(owner=manager), due=at(timezone.localdate()))
    response = login(client, team_lead).post(
        reverse("task_update", args=[theirs.pk]), form_data(theirs.client, owner="")
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.owner == vip_head and theirs.subject == "Перезвонить по счёту"


def test_the_cards_and_my_day_offer_a_new_task(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    login(client, manager)
    card = client.get(reverse("client_detail", args=[deal.client_id])).content.decode()
    deal_card = client.get(reverse("deal_detail", args=[deal.pk])).content.decode()
    my_day = client.get(reverse("home")).content.decode()
    assert f"{reverse('task_create')}?client={deal.client_id}" in card
    assert f"{reverse('task_create')}?deal={deal.pk}" in deal_card
    assert 'data-testid="myday-new-task"' in my_day


# Logging a call from a task.


def call_data(**overrides):
    due = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "direction": "out",
        "call_result": "reached",
        "duration_minutes": "3",
        "note": "",
        "next_subject": "Выставить счёт",
        "next_due_at": due,
        "deal": "",
    }
    data.update(overrides)
    return data


def test_logging_a_call_from_a_task_completes_it_and_plans_the_next(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    planned = task(manager, deal=deal, due=at(timezone.localdate()), subject="Позвонить")
    url = f"{reverse('call_log', args=[deal.client_id])}?task={planned.pk}"
    login(client, manager)
    form = client.get(url).content.decode()
    assert 'data-testid="call-task"' in form and f'<option value="{deal.pk}" selected>' in form

    response = client.post(url, call_data(deal=deal.pk))

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.done_at is not None
    nxt = Activity.objects.get(subject="Выставить счёт")
    assert (nxt.kind, nxt.deal, nxt.done_at) == ("task", deal, None)
    assert Activity.objects.filter(kind="call", client=deal.client).count() == 1


def test_a_refused_call_leaves_the_task_planned(client, manager):
    planned = task(manager, due=at(timezone.localdate()))
    url = f"{reverse('call_log', args=[planned.client_id])}?task={planned.pk}"

    response = login(client, manager).post(url, call_data(next_subject=""))

    planned.refresh_from_db()
    assert response.status_code == 400 and planned.done_at is None
    assert not Activity.objects.filter(kind="call").exists()


def test_the_call_form_answers_404_for_another_clients_or_anothers_or_a_done_task(client, manager, other_manager):
    mine = ClientFactory(owner=manager)
    of_other_client = task(manager, due=at(timezone.localdate()))
    theirs = task(other_manager, due=at(timezone.localdate()))
    done = task(manager, client=mine, due=at(timezone.localdate()), done_at=timezone.now())
    login(client, manager)
    for pk in (of_other_client.pk, theirs.pk, done.pk, "x"):
        assert client.get(f"{reverse('call_log', args=[mine.pk])}?task={pk}").status_code == 404, pk


def test_the_service_refuses_a_task_of_another_client_or_one_not_visible(manager, other_manager):
    mine = ClientFactory(owner=manager)
    kwargs = {
        "by": manager,
        "client": mine,
        "direction": "out",
        "call_result": "reached",
        "next_subject": "Дальше",
        "next_due_at": timezone.now() + timedelta(days=1),
    }
    with pytest.raises(ValidationError):
        call_log_with_next_task(**kwargs, task=task(manager, due=at(timezone.localdate())))
    with pytest.raises(PermissionDenied):
        call_log_with_next_task(**kwargs, task=task(other_manager, due=at(timezone.localdate())))
    own = task(manager, client=mine, due=at(timezone.localdate()))
    call_log_with_next_task(**kwargs, task=own)
    own.refresh_from_db()
    assert own.done_at is not None and Activity.objects.filter(subject="Дальше").count() == 1


# The calendar feed and the move.


def test_the_feed_gives_the_planned_tasks_in_the_range_with_links_and_the_overdue_colour(client, manager):
    today = timezone.localdate()
    deal = DealFactory(client=ClientFactory(owner=manager, name="ООО Лютик"), stage=Stage.PROPOSAL)
    late = task(manager, deal=deal, due=timezone.now() - timedelta(hours=30), subject="Просрочено")
    soon = task(manager, client=deal.client, due=at(today + timedelta(days=2), 15), subject="Скоро")
    task(manager, client=deal.client, due=at(today + timedelta(days=2)), subject="Сделано", done_at=timezone.now())
    task(manager, client=deal.client, due=at(today + timedelta(days=40)), subject="Далеко")
    start = (today - timedelta(days=3)).isoformat()
    end = (today + timedelta(days=7)).isoformat()

    events = login(client, manager).get(reverse("task_calendar_feed"), {"start": start, "end": end}).json()

    by_id = {int(e["id"]): e for e in events}
    assert set(by_id) == {late.pk, soon.pk}
    assert (
        by_id[late.pk]["url"] == reverse("deal_detail", args=[deal.pk]) and by_id[late.pk]["extendedProps"]["overdue"]
    )
    assert by_id[soon.pk]["url"] == reverse("client_detail", args=[deal.client_id])
    assert by_id[soon.pk]["title"] == "Скоро · ООО Лютик" and not by_id[soon.pk]["extendedProps"]["overdue"]
    assert by_id[soon.pk]["start"].startswith(f"{(today + timedelta(days=2)).isoformat()}T15:00:00")
    assert by_id[late.pk]["color"] != by_id[soon.pk]["color"]


def test_the_feed_takes_fullcalendars_iso_bounds_with_and_without_an_offset(client, manager):
    today = timezone.localdate()
    soon = task(manager, due=at(today, 12))
    login(client, manager)
    for start, end in (
        (f"{today.isoformat()}T00:00:00+03:00", f"{(today + timedelta(days=1)).isoformat()}T00:00:00+03:00"),
        (f"{today.isoformat()}T00:00:00", f"{(today + timedelta(days=1)).isoformat()}T00:00:00"),
    ):
        events = client.get(reverse("task_calendar_feed"), {"start": start, "end": end}).json()
        assert [int(e["id"]) for e in events] == [soon.pk], start


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "start"),
        ({"start": "2030-03-04"}, "end"),
        ({"start": "завтра", "end": "2030-03-05"}, "start"),
        ({"start": "2030-02-30", "end": "2030-03-05"}, "start"),
        ({"start": "2030-03-04", "end": "2030-03-04T25:00:00"}, "end"),
        ({"start": "2030-03-04", "end": "2030-03-01"}, "end"),
        ({"start": "2030-01-01", "end": "2030-06-01"}, "end"),
        ({"start": "0012-01-01", "end": "0012-01-10"}, "start"),
        ({"start": "2030-03-04T00:00:00+99:00", "end": "2030-03-05"}, "start"),
    ],
)
def test_a_bad_feed_range_answers_400_with_the_field_error(client, manager, params, field):
    response = login(client, manager).get(reverse("task_calendar_feed"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_feed_makes_as_many_queries_for_one_task_as_for_thirty(client, manager):
    login(client, manager)
    today = timezone.localdate()
    params = {"start": (today - timedelta(days=7)).isoformat(), "end": (today + timedelta(days=28)).isoformat()}
    make_tasks(manager, 1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("task_calendar_feed"), params).json()) == 4
    make_tasks(manager, 29)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(reverse("task_calendar_feed"), params).json()) == 120
    assert len(thirty) == len(one)


def test_moving_a_task_keeps_its_time_of_day_and_records_the_change(client, manager):
    today = timezone.localdate()
    mine = task(manager, due=at(today, 14, 45))
    target = today + timedelta(days=3)

    response = login(client, manager).post(reverse("task_move", args=[mine.pk]), {"day": target.isoformat()})

    assert response.status_code == 200
    mine.refresh_from_db()
    assert timezone.localtime(mine.due_at).replace(tzinfo=None) == datetime.combine(target, time(14, 45))
    assert ChangeLog.objects.filter(object_id=mine.pk, action=ChangeLog.Action.UPDATE).exists()


def test_a_task_is_not_moved_to_the_past_nor_to_a_bad_day_nor_when_done(client, manager):
    today = timezone.localdate()
    mine = task(manager, due=at(today + timedelta(days=1)))
    done = task(manager, due=at(today), done_at=timezone.now())
    login(client, manager)
    url = reverse("task_move", args=[mine.pk])

    for day in ((today - timedelta(days=1)).isoformat(), "31.12.2030", "", "2030-02-30"):
        response = client.post(url, {"day": day})
        assert response.status_code == 400 and "day" in response.json()["errors"], day
    assert client.get(url).status_code == 405
    assert client.post(reverse("task_move", args=[done.pk]), {"day": today.isoformat()}).status_code == 404
    mine.refresh_from_db()
    assert timezone.localdate(mine.due_at) == today + timedelta(days=1)
    with pytest.raises(ValidationError):
        task_move(activity=done, by=manager, day=today, today=today)


def test_the_calendar_page_loads_the_vendored_fullcalendar_in_russian_from_monday(client, manager):
    html = login(client, manager).get(reverse("task_calendar")).content.decode()
    assert "vendor/fullcalendar/index.global.min.js" in html and "vendor/fullcalendar/ru.global.min.js" in html
    assert 'data-time-zone="Europe/Moscow"' in html and reverse("task_calendar_feed") in html
    script = (settings.BASE_DIR / "static" / "js" / "calendar.js").read_text()
    assert 'locale: "ru"' in script and "firstDay: 1" in script


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 404),
        ("team_lead", 404),
        ("vip_head", 404),
        ("base_manager", 404),
        ("service_owner", 403),
        ("head", 200),
    ],
)
def test_another_teams_task_is_404_on_edit_and_move_for_every_role_but_the_head(
    client, request, other_manager, role, status
):
    theirs = task(other_manager, due=at(timezone.localdate() + timedelta(days=1)), subject="Задача Петрова")
    login(client, request.getfixturevalue(role))
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    start = timezone.localdate().isoformat()
    end = (timezone.localdate() + timedelta(days=7)).isoformat()

    assert client.get(reverse("task_update", args=[theirs.pk])).status_code == status
    assert client.post(reverse("task_move", args=[theirs.pk]), {"day": tomorrow}).status_code == status
    feed = client.get(reverse("task_calendar_feed"), {"start": start, "end": end})
    if status == 200:
        assert [int(e["id"]) for e in feed.json()] == [theirs.pk]
    elif status == 404:
        assert feed.json() == []
    theirs.refresh_from_db()
    assert (timezone.localdate(theirs.due_at).isoformat() == tomorrow) is (status == 200)


def test_an_edit_opened_before_someone_changed_the_task_is_refused_with_what_was_typed(client, manager, team_lead):
    mine = task(manager, due=at(timezone.localdate() + timedelta(days=1)), subject="Было")
    opened = mine.revision
    login(client, team_lead).post(reverse("task_move", args=[mine.pk]), {"day": timezone.localdate().isoformat()})

    stale = login(client, manager).post(
        reverse("task_update", args=[mine.pk]), form_data(mine.client, subject="Моё", revision=opened)
    )

    assert stale.status_code == 400 and 'value="Моё"' in stale.content.decode()
    mine.refresh_from_db()
    assert mine.subject == "Было" and mine.revision > opened
