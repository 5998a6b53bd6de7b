"""When a contest ends the nightly job e-mails every participant his position and the top three, once
(analytics/nightly.py contests_finish; results_sent_at guards), one letter received by a real SMTP server."""

import email
import email.policy
from datetime import date
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from analytics.nightly import contests_finish
from analytics.selectors.contests import leaderboard
from analytics.services.contests import contest_save
from salesdept.nightly import JOBS_BY_NAME
from tests.analytics.contest_helpers import make_contest, sold
from tests.crm.test_services_digest import smtp_server  # noqa: F401  # the aiosmtpd fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(head, manager, other_manager, teammate):
    # teammate 90 000 / 60 000 = 150 %, other_manager 50 000 / 50 000 = 100 %, manager 40 000 / 80 000 = 50 %
    sold(manager, "40000", date(2026, 11, 3))
    sold(other_manager, "50000", date(2026, 11, 3))
    sold(teammate, "90000", date(2026, 11, 3))
    return make_contest(
        head,
        [manager, other_manager, teammate],
        quotas={manager.pk: "80000", other_manager.pk: "50000", teammate.pk: "60000"},
    )


def test_the_job_is_registered():
    assert JOBS_BY_NAME["contests_finish"].run is contests_finish


def test_results_go_once_to_every_participant_when_the_contest_is_over(finished, manager, other_manager, teammate):
    assert contests_finish(date(2026, 11, 30)) == {"contests": 0, "sent": 0, "failed": 0, "no_email": 0}
    assert mail.outbox == []
    assert contests_finish(date(2026, 12, 1)) == {"contests": 1, "sent": 3, "failed": 0, "no_email": 0}
    letters = {m.to[0]: m for m in mail.outbox}
    assert set(letters) == {manager.email, other_manager.email, teammate.email}
    mine = letters[manager.email]
    assert mine.subject == "Итоги конкурса «Ноябрь»: вы на 3-м месте из 3"
    assert "Ваше место: 3 из 3." in mine.body
    assert "Первая тройка" in mine.body
    assert f"1. {teammate}: 90\xa0000\xa0₽ / 60\xa0000\xa0₽ = 150,0 %" in mine.body
    assert f"2. {other_manager}: 50\xa0000\xa0₽ / 50\xa0000\xa0₽ = 100,0 %" in mine.body
    assert "1 место: 30 000 ₽" in mine.body
    assert f"/analytics/contests/{finished.pk}/" in mine.body
    assert letters[teammate.email].subject.endswith("вы на 1-м месте из 3")
    finished.refresh_from_db()
    assert finished.results_sent_at is not None
    # Idempotent: the next night (or a repeated run) sends nothing.
    assert contests_finish(date(2026, 12, 2))["contests"] == 0
    assert len(mail.outbox) == 3


def test_a_participant_without_an_address_is_counted_not_mailed(finished, manager):
    manager.email = ""
    manager.save()
    assert contests_finish(date(2026, 12, 1)) == {"contests": 1, "sent": 2, "failed": 0, "no_email": 1}


def test_the_results_arrive_over_smtp_at_a_real_server(finished, teammate, smtp_server):  # noqa: F811
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
        counts = contests_finish(date(2026, 12, 1))
    assert counts["sent"] == 3 and mail.outbox == []
    [envelope] = [e for e in inbox.envelopes if e.rcpt_tos == [teammate.email]]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert " ".join(received["Subject"].split()) == "Итоги конкурса «Ноябрь»: вы на 1-м месте из 3"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Ваше место: 1 из 3." in text and "Ваше место: 1 из 3." in html
    assert f"https://crm.example.ru/analytics/contests/{finished.pk}/" in text


def test_a_contest_whose_results_went_out_cannot_be_changed(finished, head, manager, other_manager):
    contests_finish(date(2026, 12, 1))
    finished.refresh_from_db()
    with pytest.raises(ValidationError):
        contest_save(
            by=head,
            contest=finished,
            name="Другое",
            metric="paid_sales",
            start=finished.start,
            end=finished.end,
            entries=[(manager, D("1")), (other_manager, D("1"))],
        )
    finished.refresh_from_db()
    assert finished.name == "Ноябрь"


def test_the_demo_has_a_running_and_a_finished_contest(head, manager, other_manager):
    from analytics.demo_contests import contests_demo
    from analytics.models import Contest
    from tests.planning.factories import make_plan

    as_of = date(2026, 11, 16)
    make_plan(manager, "200000")
    sold(manager, "50000", date(2026, 11, 5))
    assert contests_demo(as_of) == {"contests": 2}
    running, finished = Contest.objects.order_by("-start")
    assert (running.status_on(as_of), finished.status_on(as_of)) == ("running", "finished")
    assert finished.results_sent_at is not None and contests_finish(as_of)["contests"] == 0
    board = leaderboard(contest=running, as_of=as_of)
    assert [(r.user, r.percent) for r in board.rows] == [(manager, D("25.00")), (other_manager, None)]
    assert contests_demo(as_of) == {"contests": 2} and Contest.objects.count() == 2  # again: replaced, not doubled
