"""A real browser: the bell counts the manager's tasks and opens them; My settings is reached from the user menu."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ActivityFactory, ClientFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def page_fits(page: Page) -> bool:
    page.wait_for_load_state("load")  # with its stylesheets: an unstyled page is wider (seen under load in CI)
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 600, 375])
def test_the_bell_counts_the_tasks_due_soon_and_opens_one(transactional_db, live_server, page: Page, manager, width):
    client = ClientFactory(owner=manager, name="ООО «Колокольчик»")
    now = timezone.now()
    ActivityFactory(
        client=client, kind="task", subject="Позвонить через 5 минут", due_at=now + timedelta(minutes=5), done_at=None
    )
    ActivityFactory(
        client=client, kind="task", subject="Просроченная задача", due_at=now - timedelta(hours=3), done_at=None
    )
    ActivityFactory(
        client=client, kind="task", subject="Завтрашняя задача", due_at=now + timedelta(days=1), done_at=None
    )
    leaked = block_other_hosts(page, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, manager.username)  # at the default width, where the user's name shows
    page.set_viewport_size({"width": width, "height": 800})
    page.reload()

    expect(page.get_by_test_id("bell-count")).to_have_text("2")
    assert page_fits(page)
    page.get_by_test_id("bell-toggle").click()
    tasks = page.get_by_test_id("bell-menu").get_by_test_id("bell-task")
    expect(tasks).to_have_count(2)
    expect(tasks.first).to_contain_text("Просроченная задача")
    expect(tasks.first).to_contain_text("Просрочено")
    expect(tasks.nth(1)).to_contain_text("Позвонить через 5 минут")
    expect(tasks.nth(1)).to_contain_text("ООО «Колокольчик»")
    assert page_fits(page)
    box = page.get_by_test_id("bell-menu").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the whole list on the screen
    tasks.nth(1).click()

    expect(page).to_have_url(live_server.url + reverse("client_detail", args=[client.pk]))
    assert errors == []
    assert leaked == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_my_settings_from_the_user_menu_keeps_a_wrong_number_then_saves(
    transactional_db, live_server, page: Page, manager, width
):
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)  # at the default width, where the user's name shows
    page.set_viewport_size({"width": width, "height": 800})

    page.get_by_test_id("user-menu").get_by_role("button").click()
    page.get_by_test_id("nav-my-settings").click()
    expect(page).to_have_url(live_server.url + reverse("my_settings"))
    assert page_fits(page)
    field = page.get_by_label("Напоминать о задаче заранее, минут")
    expect(field).to_have_value("15")
    field.fill("2000")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_text("меньше либо равно 1440")).to_be_visible()
    expect(page.get_by_label("Напоминать о задаче заранее, минут")).to_have_value("2000")
    page.get_by_label("Напоминать о задаче заранее, минут").fill("60")
    page.get_by_label("Присылать утреннюю сводку на почту").uncheck()
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_text("Настройки сохранены.")).to_be_visible()
    manager.refresh_from_db()
    assert (manager.reminder_minutes, manager.digest_email) == (60, False)
    assert page_fits(page)
    assert leaked == []


@pytest.mark.browser
def test_the_bell_refreshes_every_minute_but_not_while_its_list_is_open(
    transactional_db, live_server, page: Page, manager
):
    client = ClientFactory(owner=manager, name="ООО «Часы»")
    now = timezone.now()
    ActivityFactory(client=client, kind="task", subject="Первая", due_at=now + timedelta(minutes=5), done_at=None)
    page.clock.install()
    log_in(page, live_server.url, manager.username)
    expect(page.get_by_test_id("bell-count")).to_have_text("1")

    page.get_by_test_id("bell-toggle").click()
    expect(page.get_by_test_id("bell-menu")).to_be_visible()
    ActivityFactory(client=client, kind="task", subject="Вторая", due_at=now - timedelta(minutes=5), done_at=None)
    page.clock.run_for(61_000)
    page.wait_for_timeout(500)
    # The open list is left alone, under the user's pointer.
    expect(page.get_by_test_id("bell-menu")).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_text("1")

    page.keyboard.press("Escape")
    expect(page.get_by_test_id("bell-menu")).not_to_be_visible()
    page.clock.run_for(61_000)
    expect(page.get_by_test_id("bell-count")).to_have_text("2")
