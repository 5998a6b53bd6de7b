"""The VIP questionnaire on a phone (375 px) in a real browser: answers save as typed, a bad one gets its field
message, a failed quality answer pauses the meeting and asks for the problem, and after the client's confirmation
the questionnaire resumes where it stopped with the earlier answers kept."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ClientFactory
from vip.models import Answer, Problem, ProgrammeClient, Questionnaire
from vip.rules.questionnaires import Kind, Rule
from vip.services.problems import problem_confirm, problem_fixed
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_a_questionnaire_is_filled_at_375_px_paused_on_quality_and_resumed(
    transactional_db, live_server, page: Page, manager, vip_head, service_owner
):
    template = template_standard_create(by=vip_head)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    questionnaire = questionnaire_create(client=client, by=manager, meeting_date=date(2026, 6, 10))
    text_q = template.questions.filter(kind=Kind.TEXT).order_by("position").first()
    score_q = template.questions.get(kind=Kind.SCORE)
    speed_q = template.questions.get(rule=Rule.MUST_BE_YES)
    growth_q = template.questions.filter(section="growth", kind=Kind.TEXT).first()

    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_questionnaire_detail", args=[questionnaire.pk]))
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.locator(f"#answer-{text_q.pk}").press_sequentially("Иванов, Петрова")  # saved as typed, no button
    expect(page.locator(f"#status-{text_q.pk}")).to_contain_text("Сохранено")
    page.locator(f"#answer-{score_q.pk}").press_sequentially("12")
    expect(page.locator(f"#status-{score_q.pk}")).to_contain_text("от 0 до 10")
    assert Answer.objects.filter(questionnaire=questionnaire).count() == 1

    page.locator(f"#answer-{speed_q.pk}").select_option("no")
    expect(page.get_by_test_id("vip-paused")).to_be_visible()  # the page reloaded into the pause
    expect(page.locator(f"#answer-{growth_q.pk}")).to_be_disabled()
    form = page.get_by_test_id("vip-problem-form")
    form.locator("input[name=since]").fill("две недели")
    form.locator("textarea[name=impact]").fill("встала 1С")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    problem = Problem.objects.get()
    assert (problem.since, problem.impact) == ("две недели", "встала 1С")
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    problem_fixed(problem=problem, by=service_owner)
    problem_confirm(problem=problem, ok=True, by=manager)
    page.reload()
    page.get_by_test_id("vip-resume").click()
    expect(page.get_by_test_id("vip-resumed")).to_be_visible()
    expect(page.locator(f"#answer-{text_q.pk}")).to_have_value("Иванов, Петрова")
    page.context.set_offline(True)  # the connection drops in the meeting: the answer waits in its field
    page.locator(f"#answer-{growth_q.pk}").press_sequentially("ещё два офиса")
    expect(page.locator(f"#status-{growth_q.pk}")).to_contain_text("нет связи")
    assert not Answer.objects.filter(question=growth_q).exists()
    page.context.set_offline(False)
    expect(page.locator(f"#status-{growth_q.pk}")).to_contain_text("Сохранено")
    assert Answer.objects.get(question=growth_q).text == "ещё два офиса"
    assert Questionnaire.objects.get().status == "draft"
    assert Answer.objects.filter(questionnaire=questionnaire).count() == 3
    assert leaked == []


@pytest.mark.browser
def test_the_register_the_problem_and_the_clients_link_page_fit_375_px(
    transactional_db, live_server, page: Page, manager, vip_head, service_owner
):
    from vip.services.problems import problem_open
    from vip.services.tokens import problem_token

    client = ClientFactory(owner=manager, name="ООО Очень Длинное Название Компании Для Проверки Переноса")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    problem = problem_open(client=client, by=manager, what="Скорость ниже договорной " * 8)
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, service_owner.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_problem_list"))
    expect(page.get_by_test_id("vip-problems")).to_be_visible()
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(live_server.url + reverse("vip_problem_detail", args=[problem.pk]))
    page.get_by_test_id("vip-take").click()
    page.get_by_test_id("vip-fixed").click()
    expect(page.get_by_test_id("vip-problem")).to_contain_text("ждём клиента")
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    problem.refresh_from_db()
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("vip_confirm", args=[problem_token(problem)]))
    page.wait_for_load_state("load")  # measured with its stylesheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("vip-client-ok").click()
    expect(page.get_by_test_id("vip-confirm-done")).to_be_visible()
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert leaked == []
