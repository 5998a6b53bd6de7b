"""A real browser: the funnel chart draws in the fixed stage order, a click on a bar lists its deals, and the page
fits 1280 and 375 px with no serious axe violation."""

import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.analytics.funnel_world import NOVEMBER, funnel_world
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BAR_POINT = """(index) => {
  const el = document.getElementById('chart-funnel');
  document.documentElement.style.scrollBehavior = 'auto';  // Tabler scrolls smoothly: the box would still move
  el.scrollIntoView({block: 'start'});
  const chart = echarts.getInstanceByDom(el);
  const value = chart.getOption().series[0].data[index];
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [typeof value === 'object' ? value.value : value, index]);
  const box = el.getBoundingClientRect();
  return {x: box.left + x - 4, y: box.top + y};
}"""


@pytest.mark.browser
def test_a_click_on_a_bar_lists_the_deals_behind_it(
    transactional_db, live_server, page: Page, head, manager, other_manager
):
    funnel_world(manager, other_manager)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, head.username)
    page.goto(f"{live_server.url}{reverse('analytics_funnel')}?{urlencode(NOVEMBER)}")
    expect(page.locator("#chart-funnel canvas")).to_be_visible()
    expect(page.get_by_test_id("funnel-worst")).to_contain_text("Цена")
    page.get_by_test_id("funnel-table").locator("summary").click()
    expect(page.get_by_test_id("funnel-row-market")).to_be_visible()

    point = page.evaluate(BAR_POINT, 1)  # the 2nd stage, "Understanding the market": A, B, C and D entered it
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/analytics/funnel/deals/**")
    assert "stage=market" in page.url
    expect(page.get_by_test_id("drill-deals").locator("tbody tr")).to_have_count(4)
    page.get_by_test_id("drill-deals").get_by_role("link", name="A", exact=True).click()
    page.wait_for_url("**/deals/*/")
    assert errors == [] and leaked == []


@pytest.mark.browser
def test_the_funnel_fits_1280_and_375_px(transactional_db, live_server, page: Page, head, manager, other_manager):
    funnel_world(manager, other_manager)
    log_in(page, live_server.url, head.username)
    url = f"{live_server.url}{reverse('analytics_funnel')}?{urlencode(NOVEMBER)}"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") == width
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    assert serious_violations(page) == []
