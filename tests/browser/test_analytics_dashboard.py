"""The head's home shows the dashboard in a real browser: its charts draw, each chart's table opens in one click, the
page fits 375 px and 1280 px, and axe-core finds no serious or critical violation."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.rules.stages import Stage
from planning.models import Plan
from tests.browser import (  # noqa: F401
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory, DealFactory, SaleLineFactory


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_heads_home_is_the_dashboard_and_it_fits(
    transactional_db, live_server, page: Page, head, manager, other_manager, width
):
    today = timezone.localdate()
    month = today.replace(day=1)
    for person, target, paid in ((manager, 300000, 120000), (other_manager, 200000, 40000)):
        Plan.objects.create(
            manager=person,
            month=month,
            target=Decimal(target),
            window_start=month,
            window_end=month,
            status=Plan.Status.APPROVED,
        )
        buyer = ClientFactory(owner=person, name=f"ООО {person.username}")
        SaleLineFactory(client=buyer, manager=person, date=today, amount=Decimal(paid))
        DealFactory(
            client=buyer, stage=Stage.PROPOSAL, amount=Decimal("90000"), probability=40, expected_close_date=today
        )

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, head.username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")

    expect(page.get_by_test_id("home-dashboard")).to_be_visible()
    for chart in ("managers", "days", "pipeline", "payments"):
        expect(page.get_by_test_id(f"chart-dash-{chart}").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("dash-best")).to_contain_text(str(manager))  # 40 % against 20 %
    expect(page.get_by_test_id("dash-worst")).to_contain_text(str(other_manager))
    table = page.get_by_test_id("dash-managers-table")
    expect(table.get_by_test_id("dash-manager").first).to_be_hidden()
    table.locator("summary").click()
    expect(table.get_by_test_id("dash-manager")).to_have_count(2)
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    assert not errors and not leaked
