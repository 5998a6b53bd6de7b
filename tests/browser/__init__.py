"""What every real-browser test shares: Debian's chromium, no request leaving the test server, logging in."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in the test's thread; the ORM calls of the tests stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass12345"


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
    """Abort and record every request that leaves the test server (no page may load from another host)."""
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
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_be_visible()


# axe-core (vendored from npm, loaded only by the tests): the serious and critical violations of the page as it is.
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(SERIOUS)
