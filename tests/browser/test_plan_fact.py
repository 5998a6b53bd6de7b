"""A real browser: the plan/fact chart draws (cumulative fact, plan line, dashed forecast) with no script error."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from planning.models import Plan
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory, SaleLineFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_the_plan_fact_chart_draws_without_errors_and_loads_nothing_from_another_host(
    transactional_db, live_server, page: Page, manager, tmp_path
):
    month = timezone.localdate().replace(day=1)
    Plan.objects.create(
        manager=manager,
        month=month,
        target=Decimal("300000"),
        window_start=month - timedelta(days=120),
        window_end=month - timedelta(days=1),
    )
    SaleLineFactory(client=ClientFactory(owner=manager), date=timezone.localdate(), amount=Decimal("50000"))
    errors: list[str] = []
    leaked: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith(live_server.url)
        else (leaked.append(route.request.url), route.abort()),
    )
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("plan_fact"))

    expect(page.locator("#chart-plan-fact canvas")).to_be_visible()
    page.screenshot(path=tmp_path / "plan_fact.png", full_page=True)
    assert errors == [] and leaked == []
