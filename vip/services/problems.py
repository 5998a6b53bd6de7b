"""Writes to the problem register (seed 002 steps 10-14): open, take, fix, the client's confirmation by call or by
link, and the escalation of fixes the client has not confirmed. Nothing here ever closes a problem by itself:
only `problem_confirm` with the client's "всё в порядке" does."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Activity, ChangeLog, Client, Role, User
from crm.services.activities import activity_create
from crm.services.history import changelog_record, snapshot
from vip.models import Problem, ProblemEvent, Question, Questionnaire, VipNotification
from vip.models.programme import runs_programme
from vip.rules.questionnaires import Section
from vip.services.notify import programme_heads, route, service_owners
from vip.services.tokens import problem_token

DETAIL_FIELDS = ("what", "since", "impact", "witnesses", "contacts", "contact_email")


def _locked(problem: Problem) -> Problem:
    fresh = Problem.objects.select_for_update().get(pk=problem.pk)
    for field in Problem._meta.concrete_fields:
        setattr(problem, field.attname, getattr(fresh, field.attname))
    return problem


def _event(problem: Problem, action: str, by: User | None, note: str = "", channel: str = "app") -> ProblemEvent:
    return ProblemEvent.objects.create(problem=problem, action=action, by=by, note=note, channel=channel)


def _summary(problem: Problem) -> str:
    lines = [
        _("Client: %(client)s") % {"client": problem.client},
        _("Employee: %(employee)s") % {"employee": problem.employee},
        _("What is wrong: %(what)s") % {"what": problem.what},
    ]
    for label, value in (
        (_("Since when"), problem.since),
        (_("How it hurts the client"), problem.impact),
        (_("Who saw it"), problem.witnesses),
        (_("Contacts"), problem.contacts),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(settings.VIP_SITE_URL + reverse("vip_problem_detail", args=[problem.pk]))
    return "\n".join(lines)


def may_follow_up(problem: Problem, by: User) -> bool:
    """The employee who met the client, or the VIP head (the head too), records the client's answer."""
    return runs_programme(by) or problem.employee_id == by.pk


def may_service(by: User) -> bool:
    """The service owner takes and fixes problems; the head may stand in."""
    return by.role == Role.SERVICE or by.sees_everything


def _employee_task(*, problem: Problem, subject: str, due_at: datetime) -> Activity | None:
    """A task for the employee on the client, through the CRM's activities; when the CRM does not let him work
    the client (a colleague of the owner given the client for the programme), an in-app notice instead."""
    try:
        return activity_create(
            by=problem.employee,
            data={"kind": Activity.Kind.TASK, "client": problem.client, "subject": subject, "due_at": due_at},
        )
    except PermissionDenied:
        VipNotification.objects.create(user=problem.employee, problem=problem, text=subject[:500])
        return None


@transaction.atomic
def problem_open(
    *,
    client: Client,
    by: User,
    what: str,
    questionnaire: Questionnaire | None = None,
    question: Question | None = None,
    section: str = Section.QUALITY,
    details: dict[str, str] | None = None,
) -> Problem:
    """Enter a quality problem in the register and route it to the VIP head and the service owner."""
    if not (what or "").strip():
        raise ValidationError({"what": [_("Say what is wrong.")]})
    data = {key: (value or "").strip() for key, value in (details or {}).items() if key in DETAIL_FIELDS}
    problem = Problem(
        client=client,
        questionnaire=questionnaire,
        question=question,
        section=section,
        employee=questionnaire.employee if questionnaire else by,
        what=what.strip(),
        **{key: value for key, value in data.items() if key != "what"},
    )
    problem.full_clean()
    problem.save()
    _event(problem, ProblemEvent.Action.OPENED, by)
    changelog_record(obj=problem, by=by, action=ChangeLog.Action.CREATE)
    route(
        problem=problem,
        users=[*programme_heads(), *service_owners()],
        subject=_("VIP: quality problem at %(client)s") % {"client": client},
        text=_summary(problem),
    )
    return problem


@transaction.atomic
def problem_details_set(*, problem: Problem, by: User, data: dict[str, Any]) -> Problem:
    """The employee records the problem in full (what, since when, how it hurts, who saw it, contacts)."""
    _locked(problem)
    if not may_follow_up(problem, by):
        raise PermissionDenied(_("Only the employee who met the client or the VIP head records the problem."))
    if problem.status == Problem.Status.CLOSED:
        raise ValidationError(_("The problem is closed."))
    before = snapshot(problem, list(DETAIL_FIELDS))
    for key in DETAIL_FIELDS:
        if key in data:
            setattr(problem, key, (data[key] or "").strip())
    if not problem.what:
        raise ValidationError({"what": [_("Say what is wrong.")]})
    problem.full_clean()
    problem.save()
    if changelog_record(obj=problem, by=by, action=ChangeLog.Action.UPDATE, before=before):
        _event(problem, ProblemEvent.Action.DETAILS, by)
    return problem


@transaction.atomic
def problem_take(*, problem: Problem, by: User, note: str = "") -> Problem:
    """Service takes an open problem into work."""
    _locked(problem)
    if not may_service(by):
        raise PermissionDenied(_("Only the service owner takes problems into work."))
    if problem.status != Problem.Status.OPEN:
        raise ValidationError(_("Only an open problem can be taken into work."))
    before = snapshot(problem, ["status"])
    problem.status = Problem.Status.IN_WORK
    problem.save(update_fields=["status", "updated_at"])
    _event(problem, ProblemEvent.Action.TAKEN, by, note)
    changelog_record(obj=problem, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return problem


@transaction.atomic
def problem_fixed(*, problem: Problem, by: User, note: str = "", now: datetime | None = None) -> Problem:
    """Service says the work is done. The problem stays unresolved: the employee gets a task to call the client, and
    the client gets a link to answer himself; only the client's confirmation closes it."""
    now = now or timezone.now()
    _locked(problem)
    if not may_service(by):
        raise PermissionDenied(_("Only the service owner marks problems fixed."))
    if problem.status not in (Problem.Status.OPEN, Problem.Status.IN_WORK):
        raise ValidationError(_("Only a problem in work can be marked fixed."))
    before = snapshot(problem, ["status", "fixed_at"])
    problem.status = Problem.Status.FIXED
    problem.fixed_at = now
    problem.escalated_at = None  # each fix may escalate once
    problem.link_round = F("link_round") + 1
    problem.save(update_fields=["status", "fixed_at", "escalated_at", "link_round", "updated_at"])
    problem.refresh_from_db(fields=["link_round"])
    _event(problem, ProblemEvent.Action.FIXED, by, note)
    changelog_record(obj=problem, by=by, action=ChangeLog.Action.UPDATE, before=before)
    _employee_task(
        problem=problem,
        subject=_("VIP: call %(client)s and ask whether the problem is gone") % {"client": problem.client},
        due_at=now + timedelta(days=1),
    )
    route(
        problem=problem,
        users=[problem.employee, *programme_heads()],
        subject=_("VIP: service fixed the problem at %(client)s") % {"client": problem.client},
        text=_("Service says the problem is fixed; call the client to confirm.") + "\n" + _summary(problem),
    )
    address = problem.contact_email or problem.client.email
    if address:
        link = settings.VIP_SITE_URL + reverse("vip_confirm", args=[problem_token(problem)])
        send_mail(
            _("Please check: has the problem been fixed?"),
            _(
                "We have done the work on the problem you told us about:\n%(what)s\n\n"
                "Please check and tell us whether all is well now: %(link)s"
            )
            % {"what": problem.what, "link": link},
            None,
            [address],
            fail_silently=True,
        )
    return problem


@transaction.atomic
def problem_confirm(
    *,
    problem: Problem,
    ok: bool,
    words: str = "",
    by: User | None,
    channel: str = ProblemEvent.Channel.CALL,
    now: datetime | None = None,
) -> Problem:
    """The client's answer to "is it fixed?": "всё в порядке" closes the problem (and the employee gets a task to set
    the next meeting); "проблема осталась" reopens it with the client's words. `by` None: the client, by the link."""
    now = now or timezone.now()
    _locked(problem)
    if by is not None and not may_follow_up(problem, by):
        raise PermissionDenied(_("Only the employee who met the client or the VIP head records the client's answer."))
    if problem.status != Problem.Status.FIXED:
        raise ValidationError(_("The client is asked only after service has marked the problem fixed."))
    words = (words or "").strip()
    if not ok and not words and by is not None:
        raise ValidationError({"words": [_("Write down what the client said.")]})
    before = snapshot(problem, ["status", "closed_at", "reopened", "client_words"])
    problem.link_round = F("link_round") + 1
    if ok:
        problem.status = Problem.Status.CLOSED
        problem.closed_at = now
        if words:
            problem.client_words = words
    else:
        problem.status = Problem.Status.OPEN
        problem.reopened += 1
        problem.client_words = words or _("The client says the problem remains.")
    problem.save()
    problem.refresh_from_db(fields=["link_round"])
    _event(problem, ProblemEvent.Action.CONFIRMED if ok else ProblemEvent.Action.REOPENED, by, words, channel)
    changelog_record(obj=problem, by=by, action=ChangeLog.Action.UPDATE, before=before)
    if ok:
        _employee_task(
            problem=problem,
            subject=_("VIP: the client confirmed the fix; set the next meeting with %(client)s")
            % {"client": problem.client},
            due_at=now + timedelta(days=1),
        )
        route(
            problem=problem,
            users=[*programme_heads(), *service_owners()],
            subject=_("VIP: quality restored at %(client)s") % {"client": problem.client},
            text=_("The client confirmed that all is well.") + "\n" + _summary(problem),
        )
    else:
        route(
            problem=problem,
            users=[problem.employee, *programme_heads(), *service_owners()],
            subject=_("VIP: the problem at %(client)s remains") % {"client": problem.client},
            text=_("The client says the problem remains: %(words)s") % {"words": problem.client_words}
            + "\n"
            + _summary(problem),
        )
    return problem


def escalate_after_days() -> int:
    return int(getattr(settings, "VIP_ESCALATE_AFTER_DAYS", 5))


@transaction.atomic
def problems_escalate(*, today: date, days: int | None = None) -> dict[str, int]:
    """Problems fixed by service `days` or more days before `today` whose client has not answered go to the VIP head,
    once per "fixed"; they stay unresolved. Running twice changes nothing the second time."""
    days = escalate_after_days() if days is None else days
    due = Problem.objects.select_for_update().filter(
        escalated_at__isnull=True,
        status=Problem.Status.FIXED,
        fixed_at__date__lte=today - timedelta(days=days),
    )
    heads = programme_heads()
    now = timezone.now()
    count = 0
    for problem in due.select_related("client", "employee"):
        problem.escalated_at = now
        problem.save(update_fields=["escalated_at", "updated_at"])
        _event(
            problem,
            ProblemEvent.Action.ESCALATED,
            None,
            _("No answer from the client for %(days)s days.") % {"days": days},
        )
        route(
            problem=problem,
            users=heads,
            subject=_("VIP: the client of %(client)s has not confirmed the fix") % {"client": problem.client},
            text=_summary(problem),
        )
        count += 1
    return {"escalated": count}
