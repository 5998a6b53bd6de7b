"""Key persons in the questionnaire on a phone (375 px) in a real browser, through htmx: confirm, a bad e-mail gets its
field message, update, mark gone and add; and the weekly review fits the phone."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import ContactPerson
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ClientFactory
from vip.models import ContactCheck, ProgrammeClient
from vip.services.problems import problem_open
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_key_persons_are_checked_at_375_px(transactional_db, live_server, page: Page, manager, vip_head):
    template_standard_create(by=vip_head)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    ivan = ContactPerson.objects.create(client=client, full_name="Иван Петров", email="ivan@romashka.ru")
    olga = ContactPerson.objects.create(client=client, full_name="Ольга Смирнова")
    questionnaire = questionnaire_create(client=client, by=manager, meeting_date=date(2026, 6, 10))

    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_questionnaire_detail", args=[questionnaire.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    block = page.get_by_test_id("vip-contacts")

    block.locator(f'[data-contact="{ivan.pk}"]').get_by_test_id("vip-contact-confirm").click()
    expect(page.get_by_test_id("vip-contacts-done")).to_contain_text("Подтверждено: Иван Петров")
    expect(page.get_by_test_id("vip-contacts-checked")).to_contain_text("проверено 1 из 2")

    row = page.locator(f'[data-contact="{ivan.pk}"]')
    row.locator("summary").click()
    row.locator(f"#id_c{ivan.pk}-email").fill("не почта")
    row.get_by_test_id("vip-contact-form").locator("button[type=submit]").click()
    row = page.locator(f'[data-contact="{ivan.pk}"]')
    expect(row.locator(".invalid-feedback")).to_be_visible()  # the form stays open with the field's message
    row.locator(f"#id_c{ivan.pk}-email").fill("petrov@romashka.ru")
    row.locator(f"#id_c{ivan.pk}-position").fill("Директор")
    row.get_by_test_id("vip-contact-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("vip-contacts-done")).to_contain_text("Сохранено в карточке клиента")
    ivan.refresh_from_db()
    assert (ivan.email, ivan.position) == ("petrov@romashka.ru", "Директор")

    page.locator(f'[data-contact="{olga.pk}"]').get_by_test_id("vip-contact-gone").click()
    expect(page.get_by_test_id("vip-contacts-gone")).to_contain_text("Ольга Смирнова")
    assert not ContactPerson.objects.filter(pk=olga.pk).exists()

    page.get_by_test_id("vip-contacts").locator("details > summary").last.click()
    add = page.get_by_test_id("vip-contact-add")
    add.locator("#id_new-full_name").fill("Мария Сидорова")
    add.locator("#id_new-phone").fill("8 916 111-22-33")
    add.locator("button[type=submit]").click()
    expect(page.get_by_test_id("vip-contacts-done")).to_contain_text("Мария Сидорова")
    assert ContactPerson.objects.get(full_name="Мария Сидорова").phone == "+79161112233"
    assert sorted(ContactCheck.objects.values_list("action", flat=True)) == ["added", "confirmed", "gone", "updated"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not leaked


@pytest.mark.browser
def test_the_weekly_review_fits_a_phone(transactional_db, live_server, page: Page, manager, vip_head):
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    problem_open(client=client, by=manager, what="Скорость ниже договора")
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, vip_head.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_review"))
    expect(page.get_by_test_id("vip-review-open")).to_contain_text("Скорость ниже договора")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not leaked


@pytest.mark.browser
def test_the_weekly_review_prints_on_a4(transactional_db, live_server, page: Page, manager, vip_head, service_owner):
    for n in range(5):
        client = ClientFactory(owner=manager, name=f"ООО Клиент {n}")
        problem_open(client=client, by=manager, what=f"Обрывы связи по утрам, офис {n}")
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, service_owner.username)
    page.set_viewport_size({"width": 703, "height": 1000})  # A4 less the 12 mm margins, at 96 dpi
    page.goto(live_server.url + reverse("vip_review_print"))
    expect(page.get_by_test_id("vip-review-open-row")).to_have_count(5)
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth") <= 703
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert not leaked
