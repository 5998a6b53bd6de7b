"""My day in a real browser: a manager logs a call with its next task from the modal."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.models import Activity
from tests.browser import browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures
from tests.crm.test_views_myday import make_day


@pytest.mark.browser
def test_a_manager_logs_a_call_with_a_next_task_from_the_modal_in_a_browser(
    transactional_db, live_server, page: Page, manager
):
    now = timezone.now()
    _, _, bare = make_day(manager, prefix="Мой", now=now)
    leaked: list[str] = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    without_task = page.get_by_test_id("deals-without-task")
    expect(without_task).to_contain_text("Мой сделка без задачи")

    without_task.get_by_test_id("deal-row").first.get_by_test_id("log-call").click()
    form = page.get_by_test_id("call-modal").get_by_test_id("call-form")
    expect(form).to_be_visible()
    expect(form.locator("select[name=deal]")).to_have_value(str(bare.pk))
    form.locator("textarea[name=note]").fill("Договорились о встрече")
    form.get_by_test_id("call-submit").click()  # no result chosen: refused in place, the note kept
    expect(form.locator("#id_call_result_errors")).to_be_visible()
    expect(form.locator("textarea[name=note]")).to_have_value("Договорились о встрече")
    form.locator("select[name=call_result]").select_option("reached")
    form.locator("input[name=duration_minutes]").fill("7")
    form.locator("input[name=next_subject]").fill("Встреча у клиента")
    form.get_by_test_id("call-submit").click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("deals-without-task")).not_to_contain_text("Мой сделка без задачи")
    call = Activity.objects.get(deal=bare, kind="call")
    assert (call.call_result, call.duration_seconds, call.note) == ("reached", 420, "Договорились о встрече")
    assert Activity.objects.get(deal=bare, kind="task").subject == "Встреча у клиента"
    assert leaked == []
