"""The morning digest: each manager's overdue tasks and deals without a next task, one letter each, in Russian."""

import email
import email.policy
import logging
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from crm.models import Role
from crm.rules.stages import Stage
from crm.services import digest as digest_service
from crm.services.digest import digest_for, digest_recipients, digest_send_all, digest_subject
from crm.tasks import morning_digest_task
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, LostReasonFactory, UserFactory

MSK = ZoneInfo("Europe/Moscow")
# Tuesday 1 December 2026, 08:30 in Moscow: a working day.
NOW = datetime(2026, 12, 1, 8, 30, tzinfo=MSK)


def overdue_task(owner, subject, *, client=None, deal=None, days=1):
    client = client or (deal.client if deal else ClientFactory(owner=owner))
    return ActivityFactory(
        client=client,
        deal=deal,
        owner=owner,
        kind="task",
        subject=subject,
        due_at=NOW - timedelta(days=days),
        done_at=None,
    )


def deal_without_task(owner, title, stage=Stage.PROPOSAL):
    return DealFactory(client=ClientFactory(owner=owner), owner=owner, title=title, stage=stage)


@pytest.fixture
def day_of(manager, other_manager):
    """The manager's overdue task and bare deal, the same for another manager, and rows that must not count."""
    mine = {
        "task": overdue_task(manager, "Перезвонить по счёту"),
        "deal": deal_without_task(manager, "Поставка бумаги"),
    }
    theirs = {
        "task": overdue_task(other_manager, "Чужая задача"),
        "deal": deal_without_task(other_manager, "Чужая сделка"),
    }
    # Not in anyone's letter: a task done, a task due later, a deal that has its next task, an account and a lost deal.
    ActivityFactory(client=ClientFactory(owner=manager), kind="task", subject="Сделано", due_at=NOW - timedelta(days=1))
    covered = DealFactory(client=ClientFactory(owner=manager), title="Сделка с задачей", stage=Stage.CONTRACT)
    ActivityFactory(
        client=covered.client,
        deal=covered,
        kind="task",
        subject="Будущая задача",
        due_at=NOW + timedelta(days=1),
        done_at=None,
    )
    DealFactory(client=ClientFactory(owner=manager), title="Работа с клиентом", stage=Stage.ACCOUNT)
    DealFactory(
        client=ClientFactory(owner=manager), title="Отказная сделка", stage=Stage.LOST, lost_reason=LostReasonFactory()
    )
    return mine, theirs


def letter_to(address):
    letters = [m for m in mail.outbox if m.to == [address]]
    assert len(letters) == 1, [m.to for m in mail.outbox]
    return letters[0]


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_digest_holds_the_managers_overdue_tasks_and_deals_without_a_next_task_only(manager, day_of):
    mine, _theirs = day_of

    digest = digest_for(user=manager, now=NOW)

    assert digest.overdue_tasks == [mine["task"]]
    assert digest.idle_deals == [mine["deal"]]


def test_a_task_becomes_overdue_only_after_its_time(manager):
    task = ActivityFactory(
        client=ClientFactory(owner=manager),
        kind="task",
        subject="Встреча",
        due_at=NOW + timedelta(minutes=1),
        done_at=None,
    )

    assert digest_for(user=manager, now=NOW).overdue_tasks == []
    assert digest_for(user=manager, now=NOW + timedelta(minutes=2)).overdue_tasks == [task]


@override_settings(SITE_URL="https://crm.example.ru")
def test_each_manager_gets_one_letter_with_his_rows_and_absolute_links(manager, other_manager, day_of):
    mine, _theirs = day_of

    counts = digest_send_all(now=NOW)

    assert counts == {"sent": 2, "empty": 0, "failed": 0}
    letter = letter_to(manager.email)
    assert letter.subject == "Ваш день: 1 просроченная задача, 1 сделка без следующего шага"
    for body in (letter.body, html_of(letter)):
        assert "Перезвонить по счёту" in body and "Поставка бумаги" in body
        assert "Чужая задача" not in body and "Чужая сделка" not in body
        assert "Сделано" not in body and "Сделка с задачей" not in body and "Работа с клиентом" not in body
        assert "Отказная сделка" not in body
        assert f"https://crm.example.ru/deals/{mine['deal'].pk}/" in body
        assert f"https://crm.example.ru/clients/{mine['task'].client_id}/" in body
        assert "Просроченные задачи" in body and "Сделки без следующего шага" in body
        assert "https://crm.example.ru/me/settings/" in body
    assert "30.11.2026 08:30" in letter.body  # the due time in the department's time zone
    assert "Доброе утро" in letter.body
    assert "Чужая задача" in letter_to(other_manager.email).body


def test_nothing_is_sent_to_a_manager_with_nothing_to_act_on(manager, other_manager, day_of):
    quiet = UserFactory(role=Role.MANAGER)
    ActivityFactory(
        client=ClientFactory(owner=quiet), kind="task", subject="Позже", due_at=NOW + timedelta(hours=1), done_at=None
    )

    counts = digest_send_all(now=NOW)

    assert counts["empty"] == 1
    assert quiet.email not in [address for m in mail.outbox for address in m.to]


def test_no_letters_at_all_when_nobody_has_anything(manager, other_manager, head):
    assert digest_send_all(now=NOW) == {"sent": 0, "empty": 2, "failed": 0}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("count", "tasks", "deals"),
    [
        (1, "1 просроченная задача", "1 сделка без следующего шага"),
        (2, "2 просроченные задачи", "2 сделки без следующего шага"),
        (5, "5 просроченных задач", "5 сделок без следующего шага"),
        (21, "21 просроченная задача", "21 сделка без следующего шага"),
    ],
)
def test_subject_counts_are_in_correct_russian_plurals(count, tasks, deals):
    translation.activate("ru")
    assert digest_subject(overdue=count, idle=count) == f"Ваш день: {tasks}, {deals}"
    assert digest_subject(overdue=count, idle=0) == f"Ваш день: {tasks}"
    assert digest_subject(overdue=0, idle=count) == f"Ваш день: {deals}"


def test_subject_of_a_letter_counts_what_it_holds(manager):
    for n in range(3):
        overdue_task(manager, f"Задача {n}")
    for n in range(2):
        deal_without_task(manager, f"Сделка {n}")

    digest_send_all(now=NOW)

    assert letter_to(manager.email).subject == "Ваш день: 3 просроченные задачи, 2 сделки без следующего шага"


def test_a_manager_who_turned_the_digest_off_gets_nothing(manager, other_manager, day_of):
    manager.digest_email = False
    manager.save()

    counts = digest_send_all(now=NOW)

    assert counts == {"sent": 1, "empty": 0, "failed": 0}
    assert [m.to for m in mail.outbox] == [[other_manager.email]]


def test_inactive_users_those_without_an_email_and_roles_without_tasks_get_nothing(manager, head, service_owner):
    overdue_task(manager, "Задача")
    no_mail = UserFactory(role=Role.MANAGER, email="")
    overdue_task(no_mail, "Без почты")
    gone = UserFactory(role=Role.MANAGER, is_active=False)
    overdue_task(gone, "Уволен")

    recipients = set(digest_recipients())

    assert manager in recipients
    assert not recipients & {no_mail, gone, head, service_owner}


def test_vip_head_and_base_manager_get_their_own_overdue_tasks(vip_head, base_manager, manager):
    client = ClientFactory(owner=manager)
    overdue_task(vip_head, "Анкета VIP", client=client)
    overdue_task(base_manager, "Проверить базу", client=client)

    digest_send_all(now=NOW)

    assert "Анкета VIP" in letter_to(vip_head.email).body
    assert "Проверить базу" in letter_to(base_manager.email).body
    assert "Проверить базу" not in letter_to(vip_head.email).body
    # The seller whose client it is has no task of his own: nothing to say to him.
    assert manager.email not in [address for m in mail.outbox for address in m.to]


def test_a_team_lead_gets_his_own_rows_not_his_teams(team_lead, manager):
    overdue_task(manager, "Задача менеджера")
    overdue_task(team_lead, "Задача руководителя")

    digest = digest_for(user=team_lead, now=NOW)

    assert [t.subject for t in digest.overdue_tasks] == ["Задача руководителя"]


def test_one_failing_letter_is_logged_and_the_others_still_go(manager, other_manager, day_of, monkeypatch, caplog):
    real = digest_service.digest_message

    def flaky(digest):
        if digest.user == manager:
            raise ConnectionError("SMTP went away")
        return real(digest)

    monkeypatch.setattr(digest_service, "digest_message", flaky)

    with caplog.at_level(logging.ERROR, logger="crm.services.digest"):
        counts = digest_send_all(now=NOW)

    assert counts == {"sent": 1, "empty": 0, "failed": 1}
    assert [m.to for m in mail.outbox] == [[other_manager.email]]
    assert any(str(manager.pk) in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_beat_task_sends_on_a_working_day_and_not_on_a_day_off(manager, day_of):
    saturday = datetime(2026, 12, 5, 8, 30, tzinfo=MSK)

    assert morning_digest_task(saturday.isoformat())["day_off"] == 1
    assert mail.outbox == []

    assert morning_digest_task(NOW.isoformat())["sent"] == 2
    assert len(mail.outbox) == 2


def test_the_beat_schedule_runs_the_digest_at_half_past_eight_in_the_departments_zone(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["morning-digest"]

    assert entry["task"] == "crm.tasks.morning_digest_task"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


def test_send_digest_command_takes_a_moment_and_says_what_it_did(manager, day_of, capsys):
    call_command("send_digest", "--now", "2026-11-25T08:30")

    # A week earlier none of the tasks was overdue yet; the deals already lacked a next step.
    assert "2 sent" in capsys.readouterr().out
    assert "Перезвонить по счёту" not in letter_to(manager.email).body
    assert "Поставка бумаги" in letter_to(manager.email).body


def test_send_digest_command_refuses_a_malformed_moment(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO"):
        call_command("send_digest", "--now", "вчера")


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_the_digest_arrives_over_smtp_at_a_real_server(manager, other_manager, day_of, smtp_server):
    controller, inbox = smtp_server
    smtp = {
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

    with override_settings(**smtp):
        counts = digest_send_all(now=NOW)

    assert counts == {"sent": 2, "empty": 0, "failed": 0}
    assert mail.outbox == []  # through the SMTP backend, not Django's test outbox
    [envelope] = [e for e in inbox.envelopes if e.rcpt_tos == [manager.email]]
    assert envelope.mail_from == "crm@example.ru"
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["To"] == manager.email
    # Django folds a long encoded subject onto the next line; the parser keeps that line's leading space.
    assert received["Subject"].strip() == "Ваш день: 1 просроченная задача, 1 сделка без следующего шага"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "Перезвонить по счёту" in body and "Поставка бумаги" in body
        assert "Чужая задача" not in body
    assert f"https://crm.example.ru/deals/{day_of[0]['deal'].pk}/" in text
