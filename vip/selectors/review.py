"""The weekly review of the problem register for the meeting of sales and service (seed 002): the problems open at
the week's end by age and by area, and what changed in the week. Every read goes through `visible_to(user)`; one
aggregate per table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.models import User
from vip.models import Problem, ProblemEvent
from vip.rules.questionnaires import Section

# The actions the review lists as "what changed"; the details and escalation rows are not changes of state.
CHANGES = (
    ProblemEvent.Action.OPENED,
    ProblemEvent.Action.TAKEN,
    ProblemEvent.Action.FIXED,
    ProblemEvent.Action.CONFIRMED,
    ProblemEvent.Action.REOPENED,
)
OPEN_LIMIT = 200
CHANGES_LIMIT = 300


@dataclass(frozen=True)
class AgeBucket:
    code: str
    label: Promise
    count: int


@dataclass(frozen=True)
class AreaRow:
    section: str
    section_label: str
    question: str
    count: int


@dataclass(frozen=True)
class ChangeCount:
    action: str
    label: str
    count: int


@dataclass(frozen=True)
class WeeklyReview:
    start: date
    end: date
    ages: list[AgeBucket]
    open_total: int
    areas: list[AreaRow]
    open_problems: list[Problem]
    changes: list[ProblemEvent]
    change_counts: list[ChangeCount]


def week_bounds(day: date) -> tuple[date, date, datetime, datetime]:
    """Monday and Sunday of `day`'s week, and the week as aware datetimes [Monday 00:00, next Monday 00:00)."""
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    tz = timezone.get_current_timezone()
    begin_at = timezone.make_aware(datetime.combine(start, time.min), tz)
    end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    return start, end, begin_at, end_at


def open_at(user: User, end_at: datetime) -> QuerySet[Problem]:
    """The problems open at `end_at`: opened before it and not closed by then (a closed problem never reopens)."""
    return Problem.objects.visible_to(user).filter(
        Q(created_at__lt=end_at), Q(closed_at__isnull=True) | Q(closed_at__gte=end_at)
    )


def weekly_review(*, user: User, day: date) -> WeeklyReview:
    start, end, begin_at, end_at = week_bounds(day)
    opened = open_at(user, end_at)
    week, two, four = (end_at - timedelta(days=n) for n in (7, 14, 28))
    totals = opened.aggregate(
        under_week=Count("id", filter=Q(created_at__gt=week)),
        one_two=Count("id", filter=Q(created_at__gt=two, created_at__lte=week)),
        two_four=Count("id", filter=Q(created_at__gt=four, created_at__lte=two)),
        over_four=Count("id", filter=Q(created_at__lte=four)),
    )
    ages = [
        AgeBucket("under_week", _("Under a week"), totals["under_week"]),
        AgeBucket("one_two", _("1-2 weeks"), totals["one_two"]),
        AgeBucket("two_four", _("2-4 weeks"), totals["two_four"]),
        AgeBucket("over_four", _("Over 4 weeks"), totals["over_four"]),
    ]
    sections = dict(Section.choices)
    areas = [
        AreaRow(
            section=row["section"],
            section_label=str(sections.get(row["section"], row["section"])),
            question=row["question__text"] or "",
            count=row["n"],
        )
        for row in opened.values("section", "question_id", "question__text")
        .annotate(n=Count("id"))
        .order_by("-n", "section", "question__text")
    ]
    open_problems = list(
        opened.select_related("client", "employee", "question").order_by("created_at", "id")[:OPEN_LIMIT]
    )
    for problem in open_problems:
        problem.age_days = (end_at - problem.created_at).days  # type: ignore[attr-defined]
    events = ProblemEvent.objects.filter(
        problem__in=Problem.objects.visible_to(user), action__in=CHANGES, at__gte=begin_at, at__lt=end_at
    )
    counted = dict(events.values_list("action").annotate(n=Count("id")).order_by())
    labels = dict(ProblemEvent.Action.choices)
    change_counts = [ChangeCount(str(a), str(labels[a]), counted.get(a, 0)) for a in CHANGES]
    changes = list(events.select_related("problem", "problem__client", "by").order_by("at", "id")[:CHANGES_LIMIT])
    return WeeklyReview(
        start=start,
        end=end,
        ages=ages,
        open_total=sum(b.count for b in ages),
        areas=areas,
        open_problems=open_problems,
        changes=changes,
        change_counts=change_counts,
    )
