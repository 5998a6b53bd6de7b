"""Reads of the task list and the calendar: planned calls, meetings and tasks grouped by when they are due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crm.models import Activity, Role, User

GROUP_ROWS = 25  # per group (overdue, today, week, later): the badge gives the total, the filters narrow it
DONE_DAYS = 30
DONE_PER_PAGE = 30
# Whose tasks the head or a team lead may pick in the filter and give work to (the service owner has none).
TASK_ROLES = (Role.MANAGER, Role.TEAM_LEAD, Role.HEAD, Role.VIP_HEAD, Role.BASE_MANAGER, Role.ADMIN)


@dataclass
class TaskFilters:
    owner: User | None = None
    client_id: int | None = None
    deal_id: int | None = None
    kind: str = ""
    text: str = ""


@dataclass
class TaskGroup:
    key: str
    tasks: list[Activity]
    total: int


@dataclass
class TaskList:
    groups: list[TaskGroup] = field(default_factory=list)
    done: Page[Activity] | None = None


def local_midnight(day: date) -> datetime:
    """The start of `day` in the department's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def task_owner_choices(user: User) -> QuerySet[User] | None:
    """Whose tasks the head or a team lead may see and give; None for everyone else (their tasks are their own)."""
    if not (user.is_head or user.is_team_lead):
        return None
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, role__in=TASK_ROLES)
        .order_by("last_name", "first_name", "pk")
    )


def tasks_visible(user: User, filters: TaskFilters | None = None) -> QuerySet[Activity]:
    """Everything with a due time the user sees (done or not), narrowed by the list's filters."""
    rows = Activity.objects.visible_to(user).filter(due_at__isnull=False)
    f = filters or TaskFilters()
    if f.owner is not None:
        rows = rows.filter(owner=f.owner)
    if f.client_id is not None:
        rows = rows.filter(client_id=f.client_id)
    if f.deal_id is not None:
        rows = rows.filter(deal_id=f.deal_id)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.text:
        rows = rows.filter(Q(subject__icontains=f.text) | Q(note__icontains=f.text) | Q(client__name__icontains=f.text))
    return rows.select_related("client", "deal", "owner")


def task_list(*, user: User, today: date, filters: TaskFilters | None = None, done_page: int = 1) -> TaskList:
    """The task list as of `today`: overdue (due before today), today, this week (to Sunday), later, and those done
    in the last 30 days, paged. Each group is one query for its first rows; one query counts the four groups."""
    rows = tasks_visible(user, filters)
    planned = rows.filter(done_at__isnull=True)
    start = local_midnight(today)
    tomorrow = local_midnight(today + timedelta(days=1))
    week_end = local_midnight(today + timedelta(days=7 - today.weekday()))
    bounds = {
        "overdue": Q(due_at__lt=start),
        "today": Q(due_at__gte=start, due_at__lt=tomorrow),
        "week": Q(due_at__gte=tomorrow, due_at__lt=week_end),
        "later": Q(due_at__gte=week_end),
    }
    # The four counts in one pass over the planned tasks (FILTERed counts), whatever the rows: one query, not four.
    totals = planned.order_by().aggregate(**{key: Count("pk", filter=q) for key, q in bounds.items()})
    result = TaskList()
    for key, q in bounds.items():
        tasks = list(planned.filter(q).order_by("due_at", "id")[:GROUP_ROWS])
        result.groups.append(TaskGroup(key=key, tasks=tasks, total=totals[key]))
    done = rows.filter(done_at__gte=local_midnight(today - timedelta(days=DONE_DAYS))).order_by("-done_at", "-id")
    result.done = Paginator(done, DONE_PER_PAGE).get_page(done_page)
    return result


def calendar_tasks(*, user: User, start: datetime, end: datetime) -> list[Activity]:
    """The planned tasks the user sees due from `start` (included) to `end` (excluded): one query."""
    return list(
        Activity.objects.visible_to(user)
        .planned()
        .filter(due_at__gte=start, due_at__lt=end)
        .select_related("client", "deal")
        .order_by("due_at", "id")
    )
