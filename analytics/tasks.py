"""The analytics' Celery tasks: the NPS survey's letters (analytics/services/nps.py)."""

from __future__ import annotations

from celery import shared_task

from analytics.services.nps import reminders_send, survey_send, surveys_send


# Acknowledged on receipt: a redelivery would not send twice anyway (a sent invitation is skipped), and a lost
# worker costs at most the letters not yet sent, which the row still shows as unsent.
@shared_task(acks_late=False)
def nps_send_task(survey_id: int) -> dict[str, int]:
    return survey_send(survey_id=survey_id)


@shared_task(acks_late=False)
def nps_remind_task(invitation_ids: list[int]) -> dict[str, int]:
    return reminders_send(invitation_ids=invitation_ids)


@shared_task(acks_late=False)
def nps_send_many_task(survey_ids: list[int]) -> dict[str, int]:
    """The nightly job's rounds, one task per chunk of them."""
    return surveys_send(survey_ids=survey_ids)
