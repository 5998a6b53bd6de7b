"""A real browser (Debian's Chromium through Playwright): the head ticks five entries of the reassignment queue and
passes them to one manager from the bulk bar; the queue fits 1280 px and becomes cards at 375 px."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import Client, OwnershipChange, Reassignment
from crm.nightly import reassignment_flags_refresh
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory, DealFactory

NAMES = ["ООО «Альфа»", "ООО «Бета»", "ООО «Гамма»", "ООО «Дельта»", "ООО «Эпсилон»", "ООО «Остаётся»"]


def page_fits(page: Page) -> None:
    """No sideways scrolling: the page is as wide as the viewport, and every decision button is on screen."""
    page.wait_for_load_state("load")  # with its stylesheets: an unstyled page is wider
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == page.viewport_size["width"]
    for button in page.get_by_test_id("reassign-submit").all():
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.browser
def test_the_head_passes_five_queue_entries_to_one_manager(
    transactional_db, live_server, page: Page, head, manager, other_manager, tmp_path
):
    clients = [ClientFactory(owner=manager, owned_since=date(2026, 1, 15), name=name) for name in NAMES]
    DealFactory(client=clients[0], owner=manager, title="Поставка камер с длинным названием для проверки переноса")
    reassignment_flags_refresh(date(2026, 4, 15))
    flags = {flag.client.name: flag for flag in Reassignment.objects.select_related("client")}
    leaked = block_other_hosts(page, live_server.url)

    log_in(page, live_server.url, head.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("reassignment_queue"))
    page.screenshot(path=tmp_path / "queue-1280.png", full_page=True)
    page_fits(page)
    assert serious_violations(page) == []

    for name in NAMES[:5]:
        page.locator(f"[data-testid=flag-row][data-flag='{flags[name].pk}']").get_by_test_id("flag-select").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("5")
    bar = page.get_by_test_id("bulk-bar")
    bar.locator("select[name=owner]").select_option(str(other_manager.pk))
    bar.locator("input[name=reason]").fill("Три месяца без заключённой сделки")
    bar.get_by_test_id("bulk-reassign").click()

    expect(page.locator(".alert-success")).to_contain_text("5 клиентов переданы новому менеджеру")
    expect(page.get_by_test_id("flag-row")).to_have_count(1)
    expect(page.get_by_test_id("flag-client")).to_have_text("ООО «Остаётся»")
    owners = dict(Client.objects.values_list("name", "owner_id"))
    assert [owners[name] for name in NAMES] == [other_manager.pk] * 5 + [manager.pk]
    assert (
        OwnershipChange.objects.filter(to_owner=other_manager, reason="Три месяца без заключённой сделки").count() == 5
    )

    # On a phone the rows become cards: no sideways scrolling and the buttons on screen.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.screenshot(path=tmp_path / "queue-375.png", full_page=True)
    page_fits(page)
    assert leaked == []


@pytest.mark.browser
def test_a_refused_bulk_decision_names_the_client_and_keeps_the_selection(
    transactional_db, live_server, page: Page, head, manager, other_manager
):
    clients = [ClientFactory(owner=manager, owned_since=date(2026, 1, 15), name=name) for name in NAMES[:2]]
    OwnershipChange.objects.create(
        client=clients[1], from_owner=other_manager, to_owner=manager, by=head, cause=OwnershipChange.Cause.RULE
    )
    reassignment_flags_refresh(date(2026, 4, 15))
    block_other_hosts(page, live_server.url)

    log_in(page, live_server.url, head.username)
    page.goto(live_server.url + reverse("reassignment_queue"))
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("2")
    bar = page.get_by_test_id("bulk-bar")
    bar.locator("select[name=owner]").select_option(str(other_manager.pk))
    bar.locator("input[name=reason]").fill("Передать Петрову")
    bar.get_by_test_id("bulk-reassign").click()

    expect(bar.get_by_test_id("form-errors")).to_contain_text("ООО «Бета»: Этот менеджер потерял клиента")
    expect(page.get_by_test_id("flag-select").first).to_be_checked()
    expect(page.get_by_test_id("selected-count")).to_have_text("2")
    expect(bar.locator("input[name=reason]")).to_have_value("Передать Петрову")
    assert set(Client.objects.values_list("owner_id", flat=True)) == {manager.pk}
