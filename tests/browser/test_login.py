"""A real browser (Debian's Chromium through Playwright): the head logs in, manages users, switches language."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from crm.models import Role, User
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures


def today_heading(language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localdate(), "j E Y")


@pytest.mark.browser
def test_the_head_logs_in_creates_a_user_and_switches_to_english(transactional_db, live_server, page: Page, head, team):
    leaked = block_other_hosts(page, live_server.url)
    page.goto(live_server.url + reverse("home"))

    # Not logged in: the login page, in Russian by default.
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.fill("input[name=username]", "head")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("form-errors")).to_be_visible()

    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")

    # The home page in Russian: the language, the date with a Russian month, the head's name and the vendored CSS.
    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_test_id("today")).to_contain_text(today_heading("ru"))
    expect(page.get_by_test_id("current-user")).to_contain_text(head.get_full_name())
    expect(page.get_by_test_id("counters")).to_be_visible()
    page.wait_for_load_state("load")  # the deferred scripts and the stylesheets (a slow box showed the page before)
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object"

    # Users: create one.
    page.click("a.dropdown-toggle[href='#navbar-more']")
    page.click(f"a.dropdown-item[href='{reverse('user_list')}']")
    expect(page).to_have_url(live_server.url + reverse("user_list"))
    page.get_by_test_id("user-create").click()
    form = page.get_by_test_id("user-form")
    form.locator("input[name=username]").fill("kuznetsova")
    form.locator("input[name=email]").fill("kuznetsova@example.ru")
    form.locator("input[name=last_name]").fill("Кузнецова")
    form.locator("input[name=first_name]").fill("Анна")
    form.locator("select[name=role]").select_option(Role.MANAGER.value)
    form.locator("select[name=team]").select_option(str(team.pk))
    form.locator("input[name=password]").fill("Vesna-2026-kvartal")
    form.locator("input[name=password_confirm]").fill("Vesna-2026-kvartal")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(live_server.url + reverse("user_list"))
    expect(page.locator(".alert-success")).to_contain_text("Кузнецова")
    expect(page.get_by_test_id("user-table")).to_contain_text("kuznetsova")
    created = User.objects.get(username="kuznetsova")
    assert (created.role, created.team_id, created.is_active) == (Role.MANAGER, team.pk, True)

    # Switch to English: the same page comes back in English, and so does the home page.
    page.get_by_test_id("language-switch").locator("button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + reverse("user_list"))
    expect(page.locator("h2.page-title")).to_have_text("Users")
    expect(page.get_by_test_id("user-create")).to_have_text("New user")
    page.click(f"a.nav-link[href='{reverse('home')}']")
    expect(page.get_by_test_id("today")).to_contain_text(today_heading("en"))
    expect(page.locator("h2.page-title")).to_have_text("The department today")

    assert leaked == []
