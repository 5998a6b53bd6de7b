"""The VIP head's dashboard in a real browser: the quota chart draws, the page fits 375 px and 1280 px, and axe-core
finds no serious or critical violation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import (  # noqa: F401
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory
from vip.models import Campaign, ProgrammeClient, Questionnaire, StaffAssignment
from vip.services.templates import template_standard_create


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_dashboard_draws_its_chart_and_fits(transactional_db, live_server, page: Page, manager, vip_head, width):
    today = timezone.localdate()
    template = template_standard_create(by=vip_head)
    campaign = Campaign.objects.create(name="Зима", start=today - timedelta(days=7), weeks=13)
    StaffAssignment.objects.create(campaign=campaign, user=manager, load=StaffAssignment.Load.PART_TIME)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager, next_due=today - timedelta(days=3))
    Questionnaire.objects.create(
        client=client, employee=manager, template=template, meeting_date=today, status="complete", campaign=campaign
    )

    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, vip_head.username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("vip_dashboard"))
    expect(page.get_by_test_id("chart-vip-quotas").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("vip-overdue-row")).to_contain_text("ООО Ромашка")
    expect(page.get_by_test_id("vip-progress")).to_contain_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    assert not leaked
