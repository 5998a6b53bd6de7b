"""The demo department's NPS (called from `manage.py seed_demo`): a survey round for every active client with a
contact's e-mail in the last 85 days (so the nightly job finds none due), about 40 % answered by the link or the
form, some answers typed in from calls and meetings, the detractors' tasks. Seeded, so every demo is the same."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.models import AnalyticsSettings, NpsAnswer, NpsInvitation, NpsSurvey
from analytics.rules.nps import is_detractor
from analytics.services.nps import TASK_HOUR
from core.calendar import next_working_day
from crm.models import Activity, Client, ContactPerson
from crm.selectors.calendar import work_calendar

# Scores as a believable department answers: about half promoters, a third passives, the rest detractors.
SCORES = [10] * 22 + [9] * 26 + [8] * 20 + [7] * 13 + [6] * 7 + [5] * 5 + [4] * 3 + [3] * 2 + [0] * 2


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def nps_seed(*, as_of: date, seed: int = 7) -> dict[str, int]:
    """The demo's rounds, invitations and answers as of `as_of`; does nothing when there are rounds already."""
    if NpsSurvey.objects.exists():
        return {"nps_surveys": 0}
    rng = random.Random(seed)
    numbers = AnalyticsSettings.current()
    calendar = work_calendar()
    contacts: dict[int, list[tuple[int, str, str]]] = {}
    for pk, client_id, email, name in (
        ContactPerson.objects.filter(client__status=Client.Status.ACTIVE)
        .exclude(email="")
        .order_by("client_id", "pk")
        .values_list("pk", "client_id", "email", "full_name")
    ):
        contacts.setdefault(client_id, []).append((pk, email, name))
    owners = dict(Client.objects.filter(pk__in=contacts).values_list("pk", "owner_id"))
    # Each owner's clients lean a little to one side, so the managers' NPS differ.
    lean = {owner: rng.choice((-1, 0, 1, 1)) for owner in sorted(o for o in set(owners.values()) if o is not None)}

    surveys = NpsSurvey.objects.bulk_create(
        NpsSurvey(client_id=client_id, sent_on=as_of - timedelta(days=rng.randint(1, 85))) for client_id in contacts
    )
    invitations: list[NpsInvitation] = []
    for survey in surveys:
        sent_at = _at(survey.sent_on, 9)
        for pk, email, _name in contacts[survey.client_id]:
            reminded = sent_at + timedelta(days=numbers.nps_reminder_days)
            invitations.append(
                NpsInvitation(
                    survey=survey,
                    contact_id=pk,
                    email=email,
                    sent_at=sent_at,
                    reminded_at=reminded if reminded.date() <= as_of else None,
                )
            )
    invitations = NpsInvitation.objects.bulk_create(invitations)

    def score_for(client_id: int) -> int:
        base = rng.choice(SCORES)
        owner = owners.get(client_id)
        return max(0, min(10, base + (lean.get(owner, 0) if owner is not None else 0)))

    names = {pk: name for rows in contacts.values() for pk, _email, name in rows}
    answers: list[NpsAnswer] = []
    for invitation in invitations:
        if rng.random() >= 0.42:
            continue
        sent_on = invitation.survey.sent_on
        day = min(as_of, sent_on + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 8))))
        answers.append(
            NpsAnswer(
                client_id=invitation.survey.client_id,
                contact_id=invitation.contact_id,
                invitation=invitation,
                score=score_for(invitation.survey.client_id),
                comment="",
                channel=NpsAnswer.Channel.EMAIL if rng.random() < 0.75 else NpsAnswer.Channel.WEB,
                answered_at=_at(day, rng.randint(9, 18)),
            )
        )
    # Answers heard on calls and at meetings, typed in by the client's owner over the year.
    for client_id in sorted(contacts):
        if rng.random() >= 0.15 or owners.get(client_id) is None:
            continue
        day = as_of - timedelta(days=rng.randint(3, 330))
        pk, _email, _name = contacts[client_id][0]
        answers.append(
            NpsAnswer(
                client_id=client_id,
                contact_id=pk,
                score=score_for(client_id),
                channel=rng.choice((NpsAnswer.Channel.PHONE, NpsAnswer.Channel.PHONE, NpsAnswer.Channel.OFFICE)),
                answered_at=_at(day, 12),
                recorded_by_id=owners[client_id],
            )
        )
    complaints = ["Долго ждали доставку", "Менеджер не перезвонил", "Цены выросли", "Пришёл не тот товар"]
    tasks: list[tuple[NpsAnswer, Activity]] = []
    for answer in answers:
        if not is_detractor(answer.score) or owners.get(answer.client_id) is None:
            continue
        answer.comment = rng.choice(complaints)
        due = next_working_day(timezone.localdate(answer.answered_at), calendar)
        due_at = timezone.make_aware(datetime.combine(due, TASK_HOUR))
        who = names.get(answer.contact_id or 0, "")
        task = Activity(
            kind=Activity.Kind.TASK,
            client_id=answer.client_id,
            owner_id=owners[answer.client_id],
            subject=_("NPS %(score)s from %(who)s: call and find out what went wrong")
            % {"score": answer.score, "who": who},
            note=answer.comment,
            due_at=due_at,
            done_at=due_at if due < as_of - timedelta(days=3) else None,
        )
        tasks.append((answer, task))
    Activity.objects.bulk_create([task for _answer, task in tasks])
    for answer, task in tasks:
        answer.task = task
    NpsAnswer.objects.bulk_create(answers)
    return {"nps_surveys": len(surveys), "nps_invitations": len(invitations), "nps_answers": len(answers)}
