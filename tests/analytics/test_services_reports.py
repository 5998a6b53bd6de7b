"""The weekly report (the dashboard as a PDF, e-mailed to the head) and the morning sheet's letters."""

import email
import email.policy
import re
import socket
import zlib
from datetime import date
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from analytics.services.reports import morning_sheet_send_all, weekly_report_pdf, weekly_report_send_all
from analytics.tasks import morning_sheet_task
from crm.rules.stages import Stage
from tests.crm.factories import ClientFactory, DealFactory, SaleLineFactory
from tests.planning.factories import PlanFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def pdf_streams(pdf: bytes) -> list[bytes]:
    """The PDF's streams, deflated (WeasyPrint keeps its font dictionaries in compressed object streams)."""
    found = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return found


def pdf_text_units(pdf: bytes) -> set[int]:
    """The Unicode code points the PDF's fonts map their glyphs to (their ToUnicode CMaps, deflated)."""
    points: set[int] = set()
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(raw)
        except zlib.error:
            continue
        if b"beginbfchar" in text or b"beginbfrange" in text:
            points |= {int(h, 16) for h in re.findall(rb"<([0-9A-Fa-f]{4})>", text)}
    return points


@pytest.fixture
def month(manager, other_manager):
    PlanFactory(manager=manager, month=date(2026, 11, 1), target=Decimal("100000"))
    buyer = ClientFactory(owner=manager, name="ООО «Ромашка»")
    SaleLineFactory(client=buyer, manager=manager, date=date(2026, 11, 10), amount=Decimal("25000"))
    DealFactory(client=buyer, stage=Stage.CONTRACT, amount=Decimal("40000"), expected_close_date=MONDAY)


def test_the_weekly_pdf_is_a_pdf_with_the_cyrillic_font_embedded(head, month):
    pdf = weekly_report_pdf(user=head, as_of=MONDAY)

    assert pdf.startswith(b"%PDF")
    # The vendored Noto Sans is embedded (the PDF does not rely on the machine's fonts) ...
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>]+)", b"".join(pdf_streams(pdf))))
    assert fonts == {b"Noto-Sans", b"Noto-Sans-Bold"}, fonts  # no system font
    assert any(b"/FontFile" in stream for stream in pdf_streams(pdf))
    # ... and its glyphs map back to the Cyrillic of the report's title «Еженедельный отчёт».
    assert {ord(ch) for ch in "Еженедльыйотчё"} <= pdf_text_units(pdf)


def test_the_pdf_link_on_the_dashboard(client, head, manager, month):
    client.force_login(head)
    assert 'data-testid="dash-pdf"' in client.get(reverse("analytics_dashboard")).content.decode()
    response = client.get(reverse("analytics_dashboard_pdf") + "?as_of=2026-11-23")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(manager)
    assert client.get(reverse("analytics_dashboard_pdf")).status_code == 200  # his own figures
    client.logout()
    assert client.get(reverse("analytics_dashboard_pdf")).status_code == 302


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def smtp_settings(controller):
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": controller.port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "CRM отдела продаж <crm@example.ru>",
        "SITE_URL": "https://crm.example.ru",
    }


def test_the_weekly_report_reaches_the_head_over_smtp_with_the_pdf(head, manager, month, smtp_server):
    controller, inbox = smtp_server
    with override_settings(**smtp_settings(controller)):
        counts = weekly_report_send_all(today=MONDAY)

    assert counts == {"sent": 1, "failed": 0}
    assert mail.outbox == []
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == [head.email]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["Subject"].strip() == "Еженедельный отчёт за 23.11.2026"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "weekly-report-2026-11-23.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert "https://crm.example.ru/analytics/dashboard/" in received.get_body(preferencelist=("plain",)).get_content()


def test_the_morning_sheet_reaches_each_employee_over_smtp(head, manager, other_manager, month, smtp_server):
    controller, inbox = smtp_server
    with override_settings(**smtp_settings(controller)):
        counts = morning_sheet_send_all(today=MONDAY)

    assert counts == {"sent": 3, "failed": 0}
    letters = {e.rcpt_tos[0]: e for e in inbox.envelopes}
    assert set(letters) == {head.email, manager.email, other_manager.email}
    mine = email.message_from_bytes(letters[manager.email].original_content, policy=email.policy.default)
    assert mine["Subject"].strip() == "Утренний лист на 23.11.2026"
    text = mine.get_body(preferencelist=("plain",)).get_content()
    assert str(manager) in text and str(other_manager) not in text  # his own row only
    assert "40\xa0000\xa0₽" in text  # the payment expected today (money: non-breaking spaces)
    heads = email.message_from_bytes(letters[head.email].original_content, policy=email.policy.default)
    assert str(other_manager) in heads.get_body(preferencelist=("plain",)).get_content()


def test_the_task_sends_on_working_days_only_and_the_beat_has_both(manager):
    assert morning_sheet_task("2026-11-22") == {"sent": 0, "failed": 0, "day_off": 1}  # a Sunday
    assert morning_sheet_task("2026-11-23")["sent"] == 1
    assert len(mail.outbox) == 1
    beat = settings.CELERY_BEAT_SCHEDULE
    assert beat["morning-sheet"]["task"] == "analytics.tasks.morning_sheet_task"
    assert beat["morning-sheet"]["schedule"].hour == {8} and beat["morning-sheet"]["schedule"].minute == {30}
    assert beat["weekly-report"]["task"] == "analytics.tasks.weekly_report_task"
    assert beat["weekly-report"]["schedule"].day_of_week == {1}


def test_the_command_sends_by_hand(head, manager, capsys):
    call_command("send_morning_sheet", "--now", "2026-11-22")  # by hand: even on a Sunday
    assert "2 sent" in capsys.readouterr().out
    call_command("send_morning_sheet", "--weekly", "--now", "2026-11-23")
    assert len(mail.outbox) == 3 and mail.outbox[-1].attachments
    with pytest.raises(CommandError, match="ISO"):
        call_command("send_morning_sheet", "--now", "вчера")
