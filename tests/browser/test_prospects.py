"""A real browser: a manager builds a prospect list, sees a company another manager works struck off with who,
claims a free one, and prints the list in two copies."""

import os

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from core.names import genitive
from crm.models import Client
from crm.models.validators import normalize_name
from crm.services.prospects import prospect_list_create
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory, make_inn

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_a_manager_builds_a_list_sees_who_works_a_company_and_claims_a_free_one(
    transactional_db, live_server, page: Page, manager, other_manager
):
    ClientFactory(
        name="ООО Занятая", normalized_name=normalize_name("ООО Занятая"), inn=make_inn(1), owner=other_manager
    )
    ClientFactory(
        name="ООО Ничья", normalized_name=normalize_name("ООО Ничья"), inn=make_inn(2), owner=None, owned_since=None
    )
    plist = prospect_list_create(by=manager, name="Июнь")
    leaked: list[str] = []
    page.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith(live_server.url)
        else (leaked.append(route.request.url), route.abort()),
    )
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("prospect_list_detail", args=[plist.pk]))

    form = page.get_by_test_id("prospect-entry-form")
    form.locator("input[name=name]").fill("Занятая компания")
    form.locator("input[name=inn]").fill(make_inn(1))
    form.locator("input[name=phone]").fill("12")
    page.get_by_test_id("prospect-entry-add").click()
    expect(page.locator("#id_phone_errors")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("Занятая компания")

    page.locator("input[name=phone]").fill("8 (495) 100-00-01")
    page.get_by_test_id("prospect-entry-add").click()
    taken = page.locator("[data-testid=prospect-entry][data-check=taken]")
    expect(taken).to_have_count(1)
    with translation.override("ru"):
        worked_by = genitive(other_manager)  # «В работе у Ивана Петрова»
    expect(taken.get_by_test_id("prospect-worked-by")).to_contain_text(worked_by)

    form = page.get_by_test_id("prospect-entry-form")
    form.locator("input[name=name]").fill("Ничья")
    form.locator("input[name=inn]").fill(make_inn(2))
    page.get_by_test_id("prospect-entry-add").click()
    free = page.locator("[data-testid=prospect-entry][data-check=free]")
    expect(free).to_have_count(1)
    free.get_by_test_id("prospect-claim").click()
    expect(page.locator("[data-testid=prospect-entry][data-check=own]")).to_have_count(1)
    assert Client.objects.get(inn=make_inn(2)).owner == manager

    page.goto(live_server.url + reverse("prospect_list_print", args=[plist.pk]))
    expect(page.get_by_test_id("prospect-print-copy")).to_have_count(2)
    page.emulate_media(media="print")
    expect(page.locator("header.navbar")).to_have_count(0)
    breaks = page.get_by_test_id("prospect-print-copy").evaluate_all(
        "copies => copies.map(copy => getComputedStyle(copy).breakBefore)"
    )
    assert breaks[1] == "page"
    assert leaked == []
