"""Every page at 1280 px and at 375 px in a real browser: the page is exactly as wide as the window (no sideways
scrolling), the wide desk pages clip nothing at 1280 px, and the key pages pass axe-core with no serious or critical
violation. The department is the demo generator's, small, with the nightly run for the 1st and for today."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from crm.demo.generator import generate
from crm.models import Client, Deal, User
from salesdept.nightly import run_nightly
from tests.browser import (  # noqa: F401 - fixtures
    PASSWORD,
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    serious_violations,
)

WIDTHS = (1280, 375)
# Pages a user works at a desk, with wide tables: nothing may be clipped (scrolled inside its card) at 1280 px.
DESK_PAGES = {"pipeline_review", "client_list", "pay_schemes"}
# Pages run through axe-core (the key pages of each role).
AXE_PAGES = {
    "home",
    "board",
    "client_list",
    "client_detail",
    "client_create",
    "deal_detail",
    "deal_create",
    "pipeline_review",
    "reassignment_queue",
    "plan_list",
    "pay_schemes",
    "search",
    "task_list",
    "task_calendar",
    "task_create",
    "my_settings",
    "vip_questionnaire_list",
    "vip_problem_list",
    "vip_dashboard",
    "vip_programme",
    "analytics_dashboard",
    "analytics_funnel",
    "analytics_abc",
    "analytics_nps",
    "analytics_ltv",
    "analytics_wallet",
    "analytics_lost",
    "analytics_contest_list",
}


def department() -> dict[str, list[tuple[str, str]]]:
    """The demo department and, per login, the (url name, path) of every page that login works with."""
    today = timezone.localdate()
    generate(clients=40, managers=3, deals=30, months=6, as_of=today, teams=1, products=30, password=PASSWORD)
    run_nightly(date(today.year, today.month, 1))
    run_nightly(today)
    manager = User.objects.get(username="manager01")
    client = Client.objects.filter(owner=manager).order_by("id").first()
    deal = Deal.objects.filter(owner=manager).order_by("id").first()
    assert client is not None and deal is not None
    every_seller = [
        ("home", reverse("home")),
        ("board", reverse("board")),
        ("client_list", reverse("client_list")),
        ("search", reverse("search") + "?q=ооо"),
        ("long_list", reverse("long_list")),
        ("stock_request_list", reverse("stock_request_list")),
        ("plan_list", reverse("plan_list")),
        ("my_pay", reverse("my_pay")),
        ("task_list", reverse("task_list")),
        ("task_calendar", reverse("task_calendar")),
        ("task_create", reverse("task_create")),
        ("my_settings", reverse("my_settings")),
    ]
    analytics = [
        ("analytics_dashboard", reverse("analytics_dashboard")),
        ("analytics_morning", reverse("analytics_morning")),
        ("analytics_funnel", reverse("analytics_funnel")),
        ("analytics_abc", reverse("analytics_abc")),
        ("analytics_nps", reverse("analytics_nps")),
        ("analytics_ltv", reverse("analytics_ltv")),
        ("analytics_wallet", reverse("analytics_wallet")),
        ("analytics_lost", reverse("analytics_lost")),
        ("analytics_contest_list", reverse("analytics_contest_list")),
    ]
    return {
        "manager01": [
            *every_seller,
            ("client_detail", reverse("client_detail", args=[client.pk])),
            ("client_update", reverse("client_update", args=[client.pk])),
            ("client_create", reverse("client_create")),
            ("deal_detail", reverse("deal_detail", args=[deal.pk])),
            ("deal_update", reverse("deal_update", args=[deal.pk])),
            ("deal_create", reverse("deal_create")),
            ("call_log", reverse("call_log", args=[client.pk])),
            ("prospect_list_index", reverse("prospect_list_index")),
            *analytics,
        ],
        "head": [
            *every_seller,
            ("pipeline_review", reverse("pipeline_review")),
            ("pipeline_review_print", reverse("pipeline_review_print")),
            ("reassignment_queue", reverse("reassignment_queue")),
            ("win_backs", reverse("win_backs")),
            ("clients_near_rule", reverse("clients_near_rule")),
            ("pay_schemes", reverse("pay_schemes")),
            ("department_settings", reverse("department_settings")),
            ("working_calendar", reverse("working_calendar")),
            ("audit", reverse("audit")),
            ("import_list", reverse("import_list")),
            ("user_list", reverse("user_list")),
            ("team_list", reverse("team_list")),
            ("sources_report", reverse("sources_report")),
            ("stage_probabilities", reverse("stage_probabilities")),
            *analytics,
            ("analytics_settings", reverse("analytics_settings")),
            ("analytics_contest_create", reverse("analytics_contest_create")),
        ],
        "lead1": [("home", reverse("home")), ("pipeline_review", reverse("pipeline_review"))],
        "vip": [
            ("home", reverse("home")),
            ("client_list", reverse("client_list")),
            ("task_list", reverse("task_list")),
            ("vip_questionnaire_list", reverse("vip_questionnaire_list")),
            ("vip_problem_list", reverse("vip_problem_list")),
            ("vip_dashboard", reverse("vip_dashboard")),
            ("vip_programme", reverse("vip_programme")),
            ("vip_campaign_list", reverse("vip_campaign_list")),
            ("vip_call_script", reverse("vip_call_script")),
        ],
        "base": [("home", reverse("home")), ("import_list", reverse("import_list"))],
        "service": [
            ("home", reverse("home")),
            ("my_settings", reverse("my_settings")),
            ("vip_problem_list", reverse("vip_problem_list")),
        ],
    }


def log_in_as(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


CLIPPED = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => (box.closest('[data-testid]') || box).getAttribute('data-testid')
    + ': ' + box.scrollWidth + ' > ' + box.clientWidth)"""


@pytest.mark.browser
def test_every_page_fits_1280_and_375_px_and_the_key_pages_pass_axe(transactional_db, live_server, page: Page):
    pages = department()
    leaked = block_other_hosts(page, live_server.url)
    too_wide: list[str] = []
    clipped: list[str] = []
    inaccessible: list[str] = []
    checked = 0
    for username, paths in pages.items():
        log_in_as(page, live_server.url, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for name, path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, (username, path)
                page.wait_for_load_state("networkidle")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width != width:
                    too_wide.append(f"{username} {path} at {width} px: {scroll_width} px wide")
                if width == 1280 and name in DESK_PAGES:
                    clipped += [f"{username} {path}: {box}" for box in page.evaluate(CLIPPED)]
                if width == 1280 and name in AXE_PAGES:
                    inaccessible += [f"{username} {path}: {v}" for v in serious_violations(page)]
                checked += 1
    assert checked == 2 * sum(len(paths) for paths in pages.values())
    assert {"too wide": too_wide, "clipped": clipped, "axe": inaccessible, "leaked": leaked} == {
        "too wide": [],
        "clipped": [],
        "axe": [],
        "leaked": [],
    }
