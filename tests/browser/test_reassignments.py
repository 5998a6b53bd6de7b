"""A real browser (Debian's Chromium through Playwright): the head reassigns a flagged client from the queue, and the
manager who lost it can no longer open its card."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import Client, Reassignment
from crm.nightly import reassignment_flags_refresh
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
)
from tests.crm.factories import ClientFactory


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
