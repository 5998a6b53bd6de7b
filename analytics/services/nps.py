"""The NPS survey's writes (DOMAIN.md section 7, seed 003 #7): rounds and their e-mails, answers, the detractor's task.

- A round (`survey_create`) goes to the client's contact persons with an e-mail, one invitation each; the letters
  are sent by Celery (analytics/tasks.py) after the transaction commits.
- A link is `TimestampSigner(salt="analytics.nps.<id>").sign("<id>")` (the approach of vip/services/tokens.py):
  valid for `AnalyticsSettings.nps_link_days` from the day it was signed (the reminder signs a fresh one).
  Opening it records nothing (mail scanners open links); the POST of its page records the answer once.
- A detractor's answer (0-6) puts a task on the client's owner's list, due the next working day at 10:00.
- The nightly job `nps_surveys_send(as_of)` starts a round for every active client whose last round is at least
  `nps_cadence_days` old (or who has none), and reminds once, `nps_reminder_days` after the letter, every contact who
  has not answered while the link still works. Running it twice changes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.models import AnalyticsSettings, NpsAnswer, NpsInvitation, NpsSurvey, NpsVipFollowUp
from analytics.rules.nps import is_detractor
from analytics.selectors.scope import clients_in_scope
from core.calendar import next_working_day
from crm.models import Activity, Client, ContactPerson, User
from crm.selectors.calendar import work_calendar
from vip.models import Answer as VipAnswer
from vip.rules.questionnaires import Kind, Section

logger = logging.getLogger(__name__)

TYPED_CHANNELS = (NpsAnswer.Channel.OFFICE, NpsAnswer.Channel.PHONE)
LINK_CHANNELS = (NpsAnswer.Channel.EMAIL, NpsAnswer.Channel.WEB)
TASK_HOUR = time(10, 0)
SURVEY_CHUNK = 500


class LinkInvalid(Exception):
    """The token is not one of ours (tampered, cut short)."""


class LinkExpired(Exception):
    """The token is ours but older than the setting allows."""


def _signer(invitation_id: int | str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"analytics.nps.{invitation_id}")


def invitation_token(invitation: NpsInvitation) -> str:
    return _signer(invitation.pk).sign(str(invitation.pk))


def invitation_from_token(token: str) -> NpsInvitation:
    """The invitation a link belongs to; LinkInvalid or LinkExpired otherwise (nothing is written either way)."""
    invitation_id, _sep, _rest = token.partition(":")
    if not invitation_id.isdigit() or len(invitation_id) > 18:
        raise LinkInvalid
    days = AnalyticsSettings.current().nps_link_days
    try:
        value = _signer(invitation_id).unsign(token, max_age=timedelta(days=days))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    invitation = (
        NpsInvitation.objects.select_related("survey__client", "contact").filter(pk=int(value)).first()
        if value.isdigit()
        else None
    )
    if invitation is None:
        raise LinkInvalid
    return invitation


def survey_url(token: str, score: int | None = None) -> str:
    path = reverse("nps_public", args=[token])
    return f"{settings.SITE_URL}{path}" + (f"?score={score}" if score is not None else "?via=web")


# --- Rounds and their letters ------------------------------------------------------------------------------------


def _contacts_to_ask(client: Client) -> list[ContactPerson]:
    return list(ContactPerson.objects.filter(client=client).exclude(email="").order_by("pk"))


@transaction.atomic
def survey_create(*, client: Client, as_of: date, by: User | None = None, send: bool = True) -> NpsSurvey:
    """A round for `client` on `as_of`: one invitation per contact person with an e-mail; the letters go after commit.
    `by`: the employee who started it by hand (he must see the client), None for the nightly job."""
    if by is not None and not clients_in_scope(by).filter(pk=client.pk).exists():
        raise PermissionDenied(_("You may not survey this client."))
    contacts = _contacts_to_ask(client)
    if not contacts:
        raise ValidationError(_("The client has no contact person with an e-mail to ask."))
    survey = NpsSurvey.objects.create(client=client, sent_on=as_of, sent_by=by)
    NpsInvitation.objects.bulk_create(
        NpsInvitation(survey=survey, contact=contact, email=contact.email) for contact in contacts
    )
    if send:
        from analytics.tasks import nps_send_task

        transaction.on_commit(lambda: nps_send_task.delay(survey.pk))
    return survey


def invitation_message(invitation: NpsInvitation, *, reminder: bool = False) -> EmailMultiAlternatives:
    """The letter: the question, the 0-10 scale as 11 links (each opens the page with its score chosen), the form."""
    token = invitation_token(invitation)
    context = {
        "invitation": invitation,
        "client": invitation.survey.client,
        "name": invitation.contact.full_name,
        "scores": [{"score": score, "url": survey_url(token, score)} for score in range(11)],
        "form_url": survey_url(token),
        "reminder": reminder,
        "days": AnalyticsSettings.current().nps_link_days,
    }
    subject = _("How likely are you to recommend us to a colleague?")
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("analytics/nps/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("analytics/nps/email.html", context), "text/html")
    return message


def _send(invitation_ids: list[int], *, reminder: bool) -> dict[str, int]:
    """Send each invitation's letter (or its reminder) once: a row already sent is skipped, a failure is logged."""
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    field = "reminded_at" if reminder else "sent_at"
    with translation.override(settings.LANGUAGE_CODE):
        for pk in invitation_ids:
            with transaction.atomic():
                invitation = (
                    NpsInvitation.objects.select_for_update(of=("self",))
                    .select_related("survey__client", "contact")
                    .filter(pk=pk, **{f"{field}__isnull": True})
                    .first()
                )
                if invitation is None or (reminder and hasattr(invitation, "answer")):
                    counts["skipped"] += 1
                    continue
                try:
                    invitation_message(invitation, reminder=reminder).send()
                except Exception:
                    logger.exception("The NPS letter of invitation %s (%s) was not sent", pk, invitation.email)
                    counts["failed"] += 1
                    continue
                setattr(invitation, field, timezone.now())
                invitation.save(update_fields=[field])
                counts["sent"] += 1
    return counts


def survey_send(*, survey_id: int) -> dict[str, int]:
    return surveys_send(survey_ids=[survey_id])


def surveys_send(*, survey_ids: list[int]) -> dict[str, int]:
    ids = list(
        NpsInvitation.objects.filter(survey_id__in=survey_ids, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _send(ids, reminder=False)


def reminders_send(*, invitation_ids: list[int]) -> dict[str, int]:
    return _send(invitation_ids, reminder=True)


# --- Answers -----------------------------------------------------------------------------------------------------


def detractor_task(*, client: Client, score: int, who: str, note: str, answered_at: datetime) -> Activity | None:
    """A task for the client's owner, due the next working day after the answer at 10:00 (none without an owner)."""
    if client.owner_id is None:
        return None
    day = next_working_day(timezone.localdate(answered_at), work_calendar())
    return Activity.objects.create(
        kind=Activity.Kind.TASK,
        client=client,
        owner_id=client.owner_id,
        subject=_("NPS %(score)s from %(who)s: call and find out what went wrong") % {"score": score, "who": who},
        note=note,
        due_at=timezone.make_aware(datetime.combine(day, TASK_HOUR)),
    )


def _detractor_task(answer: NpsAnswer) -> Activity | None:
    who = answer.contact.full_name if answer.contact else answer.client.name
    return detractor_task(
        client=answer.client, score=answer.score, who=who, note=answer.comment, answered_at=answer.answered_at
    )


def vip_answer_saved(*, answer: VipAnswer) -> Activity | None:
    """vip's Answer was saved: a "would you recommend us" score of 0-6 gets its detractor's task, once per answer."""
    question = answer.question
    if question.section != Section.RECOMMEND or question.kind != Kind.SCORE or answer.number is None:
        return None
    score = int(answer.number)
    if not 0 <= score <= 10 or not is_detractor(score) or NpsVipFollowUp.objects.filter(vip_answer=answer).exists():
        return None
    questionnaire = answer.questionnaire
    client = questionnaire.client
    task = detractor_task(
        client=client,
        score=score,
        who=_("the VIP questionnaire of %(client)s") % {"client": client.name},
        note=answer.text,
        answered_at=answer.updated_at or timezone.now(),
    )
    NpsVipFollowUp.objects.create(vip_answer=answer, task=task)
    return task


def _check_answer(score: Any, comment: str) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
        errors["score"] = [_("Choose a score from 0 to 10.")]
    if len(comment) > 2000:
        errors["comment"] = [_("The comment is longer than 2000 characters.")]
    if errors:
        raise ValidationError(errors)


def _record(answer: NpsAnswer) -> NpsAnswer:
    answer.save()
    if is_detractor(answer.score):
        answer.task = _detractor_task(answer)
        if answer.task is not None:
            answer.save(update_fields=["task"])
    return answer


@transaction.atomic
def answer_by_link(
    *, invitation: NpsInvitation, score: Any, comment: str = "", channel: str, now: datetime | None = None
) -> NpsAnswer:
    """The contact's own answer from the link's page, once: a second one is refused ("already recorded")."""
    if channel not in LINK_CHANNELS:
        channel = NpsAnswer.Channel.WEB
    comment = comment.strip()
    _check_answer(score, comment)
    locked = NpsInvitation.objects.select_for_update().select_related("survey__client").get(pk=invitation.pk)
    if NpsAnswer.objects.filter(invitation=locked).exists():
        raise ValidationError(_("Your answer has already been recorded."), code="already")
    client = locked.survey.client
    return _record(
        NpsAnswer(
            client=client,
            contact_id=locked.contact_id,
            invitation=locked,
            score=score,
            comment=comment,
            channel=channel,
            answered_at=now or timezone.now(),
        )
    )


@transaction.atomic
def answer_type_in(
    *,
    by: User,
    client: Client,
    score: Any,
    channel: str,
    contact: ContactPerson | None = None,
    comment: str = "",
    answered_on: date | None = None,
    now: datetime | None = None,
) -> NpsAnswer:
    """An answer an employee heard in the office or on the phone and types in, on a client in his analytics."""
    if not clients_in_scope(by).filter(pk=client.pk).exists():
        raise PermissionDenied(_("You may not record answers for this client."))
    now = now or timezone.now()
    comment = comment.strip()
    errors: dict[str, list[str]] = {}
    try:
        _check_answer(score, comment)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if channel not in TYPED_CHANNELS:
        errors["channel"] = [_("An employee records answers given in the office or by phone.")]
    if contact is not None and contact.client_id != client.pk:
        errors["contact"] = [_("The contact person works at another client.")]
    if answered_on is not None and answered_on > timezone.localdate(now):
        errors["answered_on"] = [_("The answer cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    answered_at = now if answered_on is None else timezone.make_aware(datetime.combine(answered_on, time(12, 0)))
    return _record(
        NpsAnswer(
            client=client,
            contact=contact,
            score=score,
            comment=comment,
            channel=channel,
            answered_at=answered_at,
            recorded_by=by,
        )
    )


# --- The nightly job ---------------------------------------------------------------------------------------------


@transaction.atomic
def nps_surveys_send(as_of: date) -> dict[str, int]:
    """Start the rounds that are due and queue the reminders that are due, as of `as_of`; idempotent."""
    numbers = AnalyticsSettings.current()
    due_before = as_of - timedelta(days=numbers.nps_cadence_days)
    asked = Exists(ContactPerson.objects.filter(client=OuterRef("pk")).exclude(email=""))
    clients = (
        Client.objects.filter(asked, status=Client.Status.ACTIVE)
        .annotate(last=Max("nps_surveys__sent_on"))
        .filter(Q(last__isnull=True) | Q(last__lte=due_before))
        .order_by("pk")
    )
    surveys = 0
    due = list(clients.values_list("pk", flat=True))
    # Set-based, a chunk at a time: the rounds, then their invitations, then one Celery task per chunk.
    for offset in range(0, len(due), SURVEY_CHUNK):
        chunk = due[offset : offset + SURVEY_CHUNK]
        made = NpsSurvey.objects.bulk_create(NpsSurvey(client_id=pk, sent_on=as_of) for pk in chunk)
        by_client = {survey.client_id: survey for survey in made}
        NpsInvitation.objects.bulk_create(
            NpsInvitation(survey=by_client[client_id], contact_id=pk, email=email)
            for pk, client_id, email in ContactPerson.objects.filter(client_id__in=chunk)
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", "client_id", "email")
        )
        ids = [survey.pk for survey in made]
        surveys += len(ids)
        from analytics.tasks import nps_send_many_task

        transaction.on_commit(lambda ids=ids: nps_send_many_task.delay(ids))  # type: ignore[misc]
    remind_before = timezone.make_aware(datetime.combine(as_of - timedelta(days=numbers.nps_reminder_days), time.max))
    link_from = timezone.make_aware(datetime.combine(as_of - timedelta(days=numbers.nps_link_days - 1), time.min))
    reminders = list(
        NpsInvitation.objects.filter(
            sent_at__lte=remind_before, sent_at__gte=link_from, reminded_at__isnull=True, answer__isnull=True
        ).values_list("pk", flat=True)
    )
    if reminders:
        from analytics.tasks import nps_remind_task

        transaction.on_commit(lambda: nps_remind_task.delay(reminders))
    return {"surveys": surveys, "reminders": len(reminders)}
