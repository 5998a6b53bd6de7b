"""The NPS survey end to end: the letters (one through a real SMTP server on loopback), the link flow (GET records
nothing, POST records once, a tampered or expired link changes nothing), the detractor's task, the nightly job."""

import re
import socket
from datetime import date, datetime, time, timedelta
from email import message_from_bytes
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from analytics.models import AnalyticsSettings, NpsAnswer, NpsInvitation, NpsSurvey
from analytics.nightly import nps_surveys_send
from analytics.services.nps import answer_by_link, answer_type_in, invitation_token, survey_create
from crm.models import Activity, Client
from salesdept.nightly import JOBS_BY_NAME
from tests.crm.factories import ClientFactory, ContactFactory

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
def client_co(manager):
    company = ClientFactory(owner=manager, name="ООО Ромашка")
    ContactFactory(client=company, full_name="Анна Петрова", email="anna@romashka.ru")
    ContactFactory(client=company, full_name="Без почты", email="")
    return company


@pytest.fixture
def invitation(client_co, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        survey_create(client=client_co, as_of=timezone.localdate())
    return NpsInvitation.objects.get()


def url(token, **query):
    path = reverse("nps_public", args=[token])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def state():
    return (NpsAnswer.objects.count(), Activity.objects.count())


def test_a_round_asks_the_contacts_with_an_email_and_the_letter_has_the_11_links(invitation, mailoutbox):
    assert NpsSurvey.objects.count() == 1 and NpsInvitation.objects.count() == 1
    assert invitation.email == "anna@romashka.ru" and invitation.sent_at is not None
    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == ["anna@romashka.ru"]
    assert "порекомендуете" in letter.subject
    html = letter.alternatives[0][0]
    links = re.findall(r'href="([^"]+\?score=(\d+))"', html)
    assert [int(score) for _link, score in links] == list(range(11))
    assert "Анна Петрова" in letter.body and "ООО Ромашка" in letter.body


def test_opening_a_link_records_nothing_and_shows_the_score_chosen(invitation):
    token = invitation_token(invitation)
    response = Browser().get(url(token, score=3))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="3" autocomplete="off" checked' in body
    assert 'name="via" value="email"' in body
    assert state() == (0, 0)
    # The form link without a score: nothing chosen, the web form's channel.
    body = Browser().get(url(token, via="web")).content.decode()
    assert " checked" not in body and 'name="via" value="web"' in body
    assert state() == (0, 0)


def test_post_records_once_and_a_second_post_says_it_is_recorded(invitation):
    token = invitation_token(invitation)
    response = Browser().post(url(token), {"score": "9", "comment": "Всё отлично", "via": "email"})
    assert response.status_code == 200 and 'data-testid="nps-public-done"' in response.content.decode()
    answer = NpsAnswer.objects.get()
    assert (answer.score, answer.comment, answer.channel, answer.contact_id, answer.client_id) == (
        9,
        "Всё отлично",
        "email",
        invitation.contact_id,
        invitation.survey.client_id,
    )
    assert answer.recorded_by is None and answer.task is None  # a promoter: no task
    again = Browser().post(url(token), {"score": "0", "via": "email"})
    assert again.status_code == 200 and 'data-reason="already"' in again.content.decode()
    assert NpsAnswer.objects.get().score == 9
    assert 'data-reason="already"' in Browser().get(url(token, score=5)).content.decode()


def test_a_bad_post_keeps_what_was_typed_and_records_nothing(invitation):
    token = invitation_token(invitation)
    response = Browser().post(url(token), {"score": "11", "comment": "Текст остаётся", "via": "email"})
    assert response.status_code == 400
    assert "Текст остаётся" in response.content.decode()
    assert state() == (0, 0)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature changed
        lambda t: "9" + t,  # another invitation's number
        lambda t: t.split(":")[0],  # cut short
        lambda t: "abc",
    ],
)
def test_a_tampered_link_is_a_clear_400_and_changes_nothing(invitation, mangle):
    token = mangle(invitation_token(invitation))
    for response in (Browser().get(url(token, score=10)), Browser().post(url(token), {"score": "10"})):
        assert response.status_code == 400
        assert 'data-reason="invalid"' in response.content.decode()
    assert state() == (0, 0)


def test_an_expired_link_is_a_clear_410_and_changes_nothing(invitation):
    token = invitation_token(invitation)
    days = AnalyticsSettings.current().nps_link_days
    later = signing.time.time() + (days + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        for response in (Browser().get(url(token, score=10)), Browser().post(url(token), {"score": "10"})):
            assert response.status_code == 410
            assert 'data-reason="expired"' in response.content.decode()
    assert state() == (0, 0)


def test_another_invitations_token_does_not_open_this_one(invitation, client_co):
    other = NpsInvitation.objects.create(
        survey=invitation.survey, contact=ContactFactory(client=client_co), email="b@x.ru"
    )
    token = invitation_token(other)
    forged = f"{invitation.pk}:{token.partition(':')[2]}"
    assert Browser().post(url(forged), {"score": "0"}).status_code == 400
    assert state() == (0, 0)


@pytest.mark.parametrize(
    ("answered", "due"),
    [
        (date(2026, 11, 3), date(2026, 11, 5)),  # Tuesday; 4 November is a holiday
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 30), date(2026, 12, 1)),  # Monday -> Tuesday
    ],
)
def test_a_detractor_creates_a_task_for_the_owner_due_the_next_working_day(invitation, manager, answered, due):
    now = timezone.make_aware(datetime.combine(answered, time(15, 0)))
    answer = answer_by_link(invitation=invitation, score=6, comment="Долго везли", channel="email", now=now)
    task = Activity.objects.get()
    assert answer.task == task
    assert (task.kind, task.owner, task.client_id, task.done_at) == ("task", manager, invitation.survey.client_id, None)
    assert timezone.localtime(task.due_at).date() == due and timezone.localtime(task.due_at).hour == 10
    assert "6" in task.subject and "Анна Петрова" in task.subject and task.note == "Долго везли"


@pytest.mark.parametrize(("score", "tasks"), [(0, 1), (6, 1), (7, 0), (8, 0), (9, 0), (10, 0)])
def test_only_a_detractor_gets_a_task(client_co, manager, score, tasks):
    answer_type_in(by=manager, client=client_co, score=score, channel="phone")
    assert Activity.objects.count() == tasks


def test_an_employee_types_an_answer_on_his_clients_only(client_co, manager, other_manager):
    contact = client_co.contacts.get(email="anna@romashka.ru")
    answer = answer_type_in(
        by=manager, client=client_co, contact=contact, score=8, channel="office", answered_on=date(2026, 11, 2)
    )
    assert (answer.channel, answer.recorded_by, timezone.localdate(answer.answered_at)) == (
        "office",
        manager,
        date(2026, 11, 2),
    )
    with pytest.raises(PermissionDenied):
        answer_type_in(by=other_manager, client=client_co, score=8, channel="office")
    with pytest.raises(ValidationError) as error:
        answer_type_in(by=manager, client=client_co, score=11, channel="email", answered_on=date(2999, 1, 1))
    assert set(error.value.message_dict) == {"score", "channel", "answered_on"}
    assert NpsAnswer.objects.count() == 1


def test_the_nightly_job_follows_the_cadence_and_reminds_once(manager, mailoutbox, django_capture_on_commit_callbacks):
    due = ClientFactory(owner=manager)
    ContactFactory(client=due, email="a@due.ru")
    ContactFactory(client=due, email="b@due.ru")
    ContactFactory(client=ClientFactory(owner=manager, status=Client.Status.LOST), email="lost@x.ru")
    ClientFactory(owner=manager)  # no contact with an e-mail
    day = date(2026, 11, 2)
    assert JOBS_BY_NAME["nps_surveys_send"].run is nps_surveys_send

    def run(as_of):
        with django_capture_on_commit_callbacks(execute=True):
            return nps_surveys_send(as_of)

    assert run(day) == {"surveys": 1, "reminders": 0}
    assert len(mailoutbox) == 2
    assert run(day) == {"surveys": 0, "reminders": 0}  # twice: nothing twice
    assert len(mailoutbox) == 2
    NpsInvitation.objects.update(sent_at=timezone.make_aware(datetime.combine(day, time(3, 0))))
    answered = NpsInvitation.objects.get(email="a@due.ru")
    answer_by_link(invitation=answered, score=10, channel="email")
    settings = AnalyticsSettings.current()
    remind_day = day + timedelta(days=settings.nps_reminder_days)
    assert run(remind_day - timedelta(days=1)) == {"surveys": 0, "reminders": 0}
    assert run(remind_day) == {"surveys": 0, "reminders": 1}
    assert len(mailoutbox) == 3 and mailoutbox[-1].to == ["b@due.ru"] and "Напоминание" in mailoutbox[-1].subject
    assert run(remind_day) == {"surveys": 0, "reminders": 0}
    assert len(mailoutbox) == 3
    # The next round is due after the cadence, not a day before.
    next_round = day + timedelta(days=settings.nps_cadence_days)
    assert run(next_round - timedelta(days=1))["surveys"] == 0
    assert run(next_round)["surveys"] == 1
    assert NpsSurvey.objects.count() == 2 and len(mailoutbox) == 5


def test_a_real_smtp_server_on_loopback_receives_the_survey(smtp, client_co, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey_create(client=client_co, as_of=timezone.localdate())
    assert len(smtp.messages) == 1
    recipients, content = smtp.messages[0]
    assert recipients == ["anna@romashka.ru"]
    message = message_from_bytes(content)
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert "?score=10" in parts["text/plain"] and "?score=0" in parts["text/plain"]
    assert "Анна Петрова" in parts["text/html"]
    assert NpsInvitation.objects.get().sent_at is not None


@pytest.mark.parametrize(("score", "tasks"), [(3, 1), (6, 1), (7, 0), (10, 0)])
def test_a_vip_questionnaires_detractor_creates_the_task_once(manager, vip_head, score, tasks):
    from vip.models import Questionnaire
    from vip.rules.questionnaires import Section
    from vip.services.questionnaires import questionnaire_answer
    from vip.services.templates import template_standard_create

    company = ClientFactory(owner=manager, name="ООО Анкета")
    template = template_standard_create(by=vip_head)
    questionnaire = Questionnaire.objects.create(
        client=company, employee=manager, template=template, meeting_date=date(2026, 11, 27)
    )
    question = template.questions.get(section=Section.RECOMMEND)
    questionnaire_answer(questionnaire=questionnaire, question=question, raw=str(score), by=manager)
    questionnaire_answer(questionnaire=questionnaire, question=question, raw=str(score), by=manager)  # saved again
    assert Activity.objects.filter(client=company).count() == tasks
    if tasks:
        task = Activity.objects.get(client=company)
        assert task.owner == manager and str(score) in task.subject and task.due_at is not None
