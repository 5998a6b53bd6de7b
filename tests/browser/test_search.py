"""A real browser: the phone typed nationally in the top bar finds the client, and the result opens its card."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models.validators import normalize_name
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ClientFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_a_phone_typed_in_the_top_bar_finds_the_client_and_opens_its_card(
    transactional_db, live_server, page: Page, manager
):
    name = "ООО «Поиск по телефону»"
    client = ClientFactory(owner=manager, name=name, normalized_name=normalize_name(name), phone="+74955810283")
    ClientFactory(owner=manager, name="ООО «Другой»", normalized_name="другой", phone="+74957770000")
    leaked = block_other_hosts(page, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, manager.username)

    page.get_by_label("Искать клиентов, контакты и сделки").press_sequentially("8 (495) 581-02-83", delay=20)

    result = page.get_by_test_id("search-dropdown").get_by_test_id("search-client")
    expect(result).to_have_count(1)
    expect(result).to_contain_text(name)
    # The keyboard reaches the result: the arrow down moves from the box to the first link.
    page.keyboard.press("ArrowDown")
    expect(result).to_be_focused()
    result.click()

    expect(page).to_have_url(live_server.url + reverse("client_detail", args=[client.pk]))
    expect(page.locator("h2.page-title")).to_contain_text(name)
    assert errors == []
    assert leaked == []
