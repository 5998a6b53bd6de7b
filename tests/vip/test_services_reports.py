"""The daily e-mail of the problem register: what it lists, and that a real SMTP server on loopback receives it."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from tests.vip.conftest import question
from vip.models import Problem
from vip.selectors.reports import daily_report
from vip.services.problems import problem_confirm, problem_fixed, problem_open
from vip.services.questionnaires import questionnaire_answer
from vip.services.reports import daily_report_send
from vip.tasks import send_daily_report_task

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.fixture
def day_of_work(questionnaire, manager, service_owner, vip_client):
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Is the speed"), raw="no", by=manager
    )
    restored = Problem.objects.get()
    problem_fixed(problem=restored, by=service_owner)
    problem_confirm(problem=restored, ok=True, by=manager, words="всё работает")
    old = problem_open(client=vip_client, by=manager, what="Старый сбой")
    Problem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    return restored, old


def test_the_report_lists_todays_work_the_restored_and_the_overdue(day_of_work):
    restored, old = day_of_work
    report = daily_report(today=timezone.localdate(), overdue_days=5)
    assert [p.pk for p in report.restored] == [restored.pk]
    assert [p.pk for p in report.overdue] == [old.pk]
    assert {e.action for e in report.events} >= {"opened", "fixed", "confirmed"}
    tomorrow = daily_report(today=timezone.localdate() + timedelta(days=1), overdue_days=5)
    assert tomorrow.events == [] and tomorrow.restored == []


def test_a_real_smtp_server_on_loopback_receives_the_daily_email(smtp, day_of_work, vip_head, service_owner):
    assert smtp.messages  # the routing e-mails of the day went through the same server
    smtp.messages.clear()
    assert send_daily_report_task() == 2
    assert len(smtp.messages) == 1
    recipients, content = smtp.messages[0]
    assert sorted(recipients) == sorted([vip_head.email, service_owner.email])
    message = message_from_bytes(content)
    assert "VIP" in str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "ООО Ромашка" in body and "Старый сбой" in body
    assert "Качество восстановлено" in body


def test_nobody_with_an_address_gets_nothing(vip_head, service_owner, mailoutbox):
    vip_head.email = service_owner.email = ""
    vip_head.save()
    service_owner.save()
    assert daily_report_send(today=timezone.localdate()) == 0
    assert mailoutbox == []
