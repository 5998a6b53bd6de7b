"""A real browser (Debian's Chromium through Playwright): the head reassigns a flagged client from the queue, and the
manager who lost it can no longer open its card."""

import os
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import Client, Reassignment
from crm.nightly_reassignments import reassignment_flags_refresh
from tests.crm.factories import ClientFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Europe/Moscow",
        "viewport": {"width": 1600, "height": 900},
    }


def block_other_hosts(page: Page, live_server_url: str) -> list[str]:
    leaked: list[str] = []

    def check(route):
        url = route.request.url
        if url.startswith(live_server_url) or url.startswith("data:"):
            route.continue_()
        else:
            leaked.append(url)
            route.abort()

    page.route("**/*", check)
    return leaked


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_be_visible()


@pytest.mark.browser
def test_the_head_reassigns_a_flagged_client_and_the_old_owner_can_no_longer_open_it(
    transactional_db, live_server, page: Page, head, manager, other_manager
):
    flagged = ClientFactory(owner=manager, owned_since=date(2026, 1, 15), name="ООО «Северный склад»")
    reassignment_flags_refresh(date(2026, 4, 15))
    flag = Reassignment.objects.get(client=flagged)
    leaked = block_other_hosts(page, live_server.url)

    # The old owner opens his client's card while he still owns it.
    log_in(page, live_server.url, manager.username)
    card = page.goto(live_server.url + reverse("client_detail", args=[flagged.pk]))
    assert card is not None and card.status == 200
    page.context.clear_cookies()

    # The head opens the queue, picks the suggested manager and says why.
    log_in(page, live_server.url, head.username)
    page.goto(live_server.url + reverse("reassignment_queue"))
    row = page.locator(f"[data-testid=flag-row][data-flag='{flag.pk}']")
    expect(row.get_by_test_id("flag-client")).to_have_text("ООО «Северный склад»")
    form = row.get_by_test_id("reassign-form")
    form.locator("select").select_option(str(other_manager.pk))
    form.locator("input[type=text]").fill("Три месяца без заключённой сделки")
    form.get_by_test_id("reassign-submit").click()

    expect(page.locator(".alert-success")).to_contain_text("ООО «Северный склад»")
    expect(page.locator(f"[data-testid=flag-row][data-flag='{flag.pk}']")).to_have_count(0)
    assert Client.objects.get(pk=flagged.pk).owner == other_manager
    page.context.clear_cookies()

    # The manager who lost it gets "not found" on its card.
    log_in(page, live_server.url, manager.username)
    response = page.goto(live_server.url + reverse("client_detail", args=[flagged.pk]))
    assert response is not None and response.status == 404
    assert leaked == []
