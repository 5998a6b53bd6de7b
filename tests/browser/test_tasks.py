"""Tasks in a real browser: a task dragged to another day on the calendar, a refused move put back, and a call logged
from the task list that closes the task and plans the next one."""

import os
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.models import Activity
from crm.rules.stages import Stage
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def planned(owner, *, day, subject, hour=11, deal=None):
    client = deal.client if deal else ClientFactory(owner=owner)
    due = timezone.make_aware(datetime.combine(day, time(hour, 15)))
    return ActivityFactory(
        kind="task", client=client, deal=deal, owner=owner, subject=subject, due_at=due, done_at=None
    )


def drag(page: Page, source, target) -> None:
    """Drag with several mouse moves: FullCalendar starts a drag only after the pointer has travelled."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        x = start["x"] + (end["x"] + end["width"] / 2 - start["x"]) * step / 10
        y = start["y"] + (end["y"] + end["height"] / 2 - start["y"]) * step / 10
        page.mouse.move(x, y)
    page.mouse.up()


def open_calendar_at(page: Page, base_url: str, day) -> None:
    page.goto(base_url + reverse("task_calendar"))
    expect(page.locator(".fc-daygrid-day").first).to_be_visible()
    page.evaluate(f"window.taskCalendar.gotoDate('{day.isoformat()}')")
    expect(page.locator(f'td[data-date="{day.isoformat()}"]')).to_be_visible()
    # The feed answered for the week shown: dragging while its events are redrawn would drag a detached element.
    expect(page.get_by_test_id("task-calendar")).to_have_attribute("data-loading", "0")


@pytest.mark.browser
def test_a_manager_drags_a_task_to_another_day_and_a_refused_move_is_put_back(
    transactional_db, live_server, page: Page, manager
):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, live_server.url)
    today = timezone.localdate()
    source = today + timedelta(days=1)
    # Both days in the week shown, neither in the past.
    target = source + timedelta(days=1) if source.weekday() < 6 else source - timedelta(days=1)
    moved = planned(manager, day=source, subject="Перенести меня")
    log_in(page, live_server.url, manager.username)

    open_calendar_at(page, live_server.url, source)
    event = page.locator(".fc-event", has_text="Перенести меня")
    expect(event).to_be_visible()
    expect(page.locator(f'td[data-date="{source.isoformat()}"]')).to_contain_text("Перенести меня")
    expect(page.locator(".fc-col-header-cell").first).to_contain_text("пн")  # Russian, the week from Monday
    drag(page, event, page.locator(f'td[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'))

    expect(page.locator(f'td[data-date="{target.isoformat()}"]')).to_contain_text("Перенести меня")
    expect(page.get_by_test_id("task-calendar")).to_have_attribute(
        "data-last-moved", f"{moved.pk}:{target.isoformat()}"
    )
    moved.refresh_from_db()
    assert timezone.localtime(moved.due_at).replace(tzinfo=None) == datetime.combine(target, time(11, 15))

    # The server refuses a task that is no longer there: the calendar puts it back and says why.
    gone = planned(manager, day=source, subject="Удалённая задача")
    open_calendar_at(page, live_server.url, source)
    event = page.locator(".fc-event", has_text="Удалённая задача")
    expect(event).to_be_visible()
    Activity.objects.filter(pk=gone.pk).update(done_at=timezone.now())
    drag(page, event, page.locator(f'td[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'))
    expect(page.get_by_test_id("calendar-error")).to_be_visible()
    expect(page.locator(f'td[data-date="{source.isoformat()}"]')).to_contain_text("Удалённая задача")
    gone.refresh_from_db()
    assert timezone.localdate(gone.due_at) == source
    assert errors == [] and leaked == []


@pytest.mark.browser
def test_a_manager_logs_a_call_from_a_task_and_sets_the_next_one(transactional_db, live_server, page: Page, manager):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, live_server.url)
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL, title="Поставка щебня")
    task = planned(manager, day=timezone.localdate(), subject="Позвонить закупщику", deal=deal)
    log_in(page, live_server.url, manager.username)

    page.get_by_test_id("nav-tasks").click()
    row = page.get_by_test_id("tasks-today").get_by_test_id("task-row").filter(has_text="Позвонить закупщику")
    expect(row).to_be_visible()
    page.wait_for_load_state("load")  # htmx has bound the button: the form opens in the modal, not as a page
    row.get_by_test_id("task-log-call").click()
    form = page.get_by_test_id("call-modal").get_by_test_id("call-form")
    expect(form.get_by_test_id("call-task")).to_contain_text("Позвонить закупщику")
    expect(form.locator("select[name=deal]")).to_have_value(str(deal.pk))
    form.locator("select[name=call_result]").select_option("reached")
    form.locator("input[name=next_subject]").fill("Выставить счёт на щебень")
    form.get_by_test_id("call-submit").click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("tasks-done")).to_contain_text("Позвонить закупщику")
    groups = page.locator("[data-testid=tasks-today], [data-testid=tasks-week], [data-testid=tasks-later]")
    expect(groups.filter(has_text="Выставить счёт на щебень")).to_have_count(1)
    task.refresh_from_db()
    assert task.done_at is not None
    following = Activity.objects.get(subject="Выставить счёт на щебень")
    assert (following.kind, following.deal, following.done_at, following.owner) == ("task", deal, None, manager)
    assert Activity.objects.filter(kind="call", deal=deal).count() == 1
    assert errors == [] and leaked == []
