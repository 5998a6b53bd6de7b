"""A real browser: the ABC/XYZ matrix draws its transitions chart, and a click on a cell lists the cell's clients."""

import os
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from analytics.models import ClientAbc
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def classify(client, month, cell, revenue):
    ClientAbc.objects.create(
        month=month,
        client=client,
        abc=cell[0],
        xyz=cell[1],
        cell=cell,
        basis="revenue",
        revenue=Decimal(revenue),
        margin=Decimal(0),
        months_bought=10,
        cv=None,
        rank=1,
        cumulative_share=Decimal(50),
    )


@pytest.mark.browser
def test_a_click_on_a_cell_lists_its_clients(transactional_db, live_server, page: Page, manager, tmp_path):
    now, before = date(2026, 11, 1), date(2026, 10, 1)
    steady = ClientFactory(owner=manager, name="Стабильный покупатель")
    falling = ClientFactory(owner=manager, name="Падающий покупатель")
    classify(steady, before, "AX", 900)
    classify(steady, now, "AX", 1000)
    classify(falling, before, "AX", 800)
    classify(falling, now, "BY", 300)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("analytics_abc") + "?as_of=2026-11-15")

    expect(page.locator("#chart-abc-transitions canvas")).to_be_visible()
    expect(page.get_by_test_id("abc-fall")).to_have_count(1)
    page.get_by_test_id("abc-cell-AX").get_by_test_id("abc-cell-link").click()
    expect(page.get_by_test_id("abc-cell-client")).to_have_count(1)
    expect(page.get_by_test_id("abc-cell-list")).to_contain_text("Стабильный покупатель")
    page.screenshot(path=tmp_path / "abc_cell.png", full_page=True)
    assert errors == []
