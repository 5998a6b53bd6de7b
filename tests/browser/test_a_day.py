"""A manager's whole day and the head's, in a real browser, at a desk (1280 px) and on a phone (375 px).

The manager creates a client (and meets the duplicate-INN message first), adds a contact, creates a deal with two
products, moves it two stages on the board with the card's "move to" menu, logs a call from a task and sets the next
one, finds the client by a phone typed as `8 (495) 581-02-83`, and drags a task to another day on the calendar. The
head reassigns five queue entries at once and approves a plan. Every step is checked in the database too."""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from core.names import genitive
from crm.models import Activity, Client, ContactPerson, Deal
from crm.rules.stages import Stage
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.browser.test_tasks import drag as drag_on_calendar
from tests.crm.factories import KNOWN_GOOD_INNS, ActivityFactory, ClientFactory, ProductFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
WIDTHS = [1280, 375]


def task(owner, client, *, day, subject, hour=11):
    due = timezone.make_aware(datetime.combine(day, time(hour, 15)))
    return ActivityFactory(kind="task", client=client, owner=owner, subject=subject, due_at=due, done_at=None)


def page_fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") == width, page.url


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_managers_day(transactional_db, live_server, page: Page, manager, other_manager, width):
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    gravel = ProductFactory(name="Щебень гранитный", price=Decimal("1500.00"))
    sand = ProductFactory(name="Песок речной", price=Decimal("800.00"))
    ClientFactory(owner=other_manager, name="ООО «Чужой»", inn=KNOWN_GOOD_INNS[1])
    regular = ClientFactory(owner=manager, name="ООО «Постоянный»")
    today = timezone.localdate()
    call_task = task(manager, regular, day=today, subject="Позвонить главному инженеру", hour=23)
    tomorrow = today + timedelta(days=1)
    to_move = task(manager, regular, day=tomorrow, subject="Отправить каталог")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, base)
    log_in(page, base, manager.username)

    # 1. A new client: the INN of a colleague's client is named before saving; a free INN goes through.
    page.goto(base + reverse("client_list"))
    page.get_by_test_id("client-new").click()
    page.fill("#id_name", "ООО «Гранит»")
    page.fill("#id_inn", KNOWN_GOOD_INNS[1])
    with translation.override("ru"):
        holder = genitive(other_manager)
    expect(page.get_by_test_id("inn-taken")).to_contain_text(holder)
    page.fill("#id_inn", KNOWN_GOOD_INNS[0])
    expect(page.get_by_test_id("inn-free")).to_be_visible()
    page.fill("#id_phone", "8 (495) 581-02-83")
    page_fits(page, width)
    page.locator("[data-testid=client-form] button[type=submit]").click()
    expect(page.get_by_role("heading", name="ООО «Гранит»")).to_be_visible()
    client = Client.objects.get(name="ООО «Гранит»")
    assert (client.owner, client.phone, client.inn) == (manager, "+74955810283", KNOWN_GOOD_INNS[0])

    # 2. A contact person from the card.
    page.get_by_test_id("client-new-contact").click()
    form = page.get_by_test_id("contact-form")
    form.locator("[name=full_name]").fill("Сергей Каменев")
    form.locator("[name=decision_role]").select_option("decision_maker")
    form.locator("[name=mobile]").fill("+7 916 123-45-67")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("contact-row")).to_contain_text("Сергей Каменев")
    assert ContactPerson.objects.get(client=client).mobile == "+79161234567"

    # 3. A deal with two products from the card.
    page.get_by_test_id("client-new-deal").click()
    page.fill("#id_title", "Поставка на объект")
    page.select_option("#id_lines-0-product", str(gravel.pk))
    page.fill("#id_lines-0-quantity", "2")
    page.select_option("#id_lines-1-product", str(sand.pk))
    page.fill("#id_lines-1-quantity", "10")
    page.fill("#id_lines-1-price", "750")
    page_fits(page, width)
    page.get_by_test_id("deal-save").click()
    expect(page.get_by_test_id("deal-amount")).to_contain_text("10 500")
    deal = Deal.objects.get(title="Поставка на объект")
    assert (deal.client, deal.owner, deal.amount, deal.lines.count()) == (client, manager, Decimal("10500.00"), 2)
    first_stage = deal.stage

    # 4. Two stages along the board with the card's "move to" menu (the keyboard's way, and a phone's).
    page.goto(base + reverse("board"))
    page_fits(page, width)
    for _ in range(2):
        move_one_stage(page, deal)
    deal.refresh_from_db()
    assert deal.stage_number == Deal(stage=first_stage).stage_number + 2

    # 5. A call logged from today's task closes it and plans the next one.
    page.goto(base + reverse("task_list"))
    page_fits(page, width)
    row = page.get_by_test_id("tasks-today").get_by_test_id("task-row").filter(has_text="Позвонить главному инженеру")
    page.wait_for_load_state("load")
    row.get_by_test_id("task-log-call").click()
    form = page.get_by_test_id("call-modal").get_by_test_id("call-form")
    form.locator("select[name=call_result]").select_option("reached")
    form.locator("input[name=next_subject]").fill("Согласовать спецификацию")
    form.get_by_test_id("call-submit").click()
    expect(page.locator(".alert-success")).to_be_visible()
    call_task.refresh_from_db()
    assert call_task.done_at is not None
    assert Activity.objects.get(subject="Согласовать спецификацию").done_at is None

    # 6. The client found by a phone typed the way it is said.
    page.get_by_label("Искать клиентов, контакты и сделки").press_sequentially("8 (495) 581-02-83", delay=20)
    found = page.get_by_test_id("search-dropdown").get_by_test_id("search-client")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("ООО «Гранит»")
    found.click()
    expect(page).to_have_url(base + reverse("client_detail", args=[client.pk]))

    # 7. The calendar: tomorrow's task dragged to the day after (a phone switches to the month grid to drag).
    target = tomorrow + timedelta(days=1)
    page.goto(base + reverse("task_calendar"))
    expect(page.get_by_test_id("task-calendar")).to_have_attribute("data-loading", "0")
    page.evaluate("window.taskCalendar.changeView('dayGridMonth')")
    page.evaluate(f"window.taskCalendar.gotoDate('{tomorrow.isoformat()}')")
    expect(page.get_by_test_id("task-calendar")).to_have_attribute("data-loading", "0")
    event = page.locator(f'td[data-date="{tomorrow.isoformat()}"] .fc-event', has_text="Отправить каталог")
    expect(event).to_be_visible()
    if not page.locator(f'td[data-date="{target.isoformat()}"]').is_visible():  # tomorrow ends the month grid
        page.evaluate(f"window.taskCalendar.gotoDate('{target.isoformat()}')")
        target = tomorrow - timedelta(days=1) if tomorrow - timedelta(days=1) >= today else target
    page_fits(page, width)
    drag_on_calendar(page, event, page.locator(f'td[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'))
    expect(page.get_by_test_id("task-calendar")).to_have_attribute("data-last-moved", f"{to_move.pk}:{target}")
    to_move.refresh_from_db()
    assert timezone.localdate(to_move.due_at) == target
    assert errors == [] and leaked == []


def move_one_stage(page: Page, deal: Deal) -> None:
    """The card's "move to" menu: choose the next stage, press the card's move button."""
    deal.refresh_from_db()
    following = Stage.values[Stage.values.index(deal.stage) + 1]
    card = page.get_by_test_id(f"deal-{deal.pk}")
    expect(card).to_be_visible()
    card.get_by_test_id("move-to").select_option(following)
    card.get_by_test_id("move-go").click()
    expect(page.get_by_test_id(f"column-{following}").get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    expect(page.locator("#board.is-busy")).to_have_count(0)
