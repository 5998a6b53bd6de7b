"""The top bar's bell: the user's own planned tasks that are overdue or due within his reminder minutes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from crm.models import Activity

if TYPE_CHECKING:
    from crm.models import User

BELL_ROWS = 10


@dataclass(frozen=True)
class Bell:
    """What the bell shows: how many tasks call for attention, the first BELL_ROWS of them, and as of when."""

    now: datetime
    count: int = 0
    overdue: int = 0
    tasks: list[Activity] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.tasks)


def bell_tasks(*, user: User, now: datetime, limit: int = BELL_ROWS) -> Bell:
    """The user's own planned tasks due before `now` + his reminder minutes (0: only the overdue ones), soonest first.

    Two queries whatever the number of tasks: the counts, and the first `limit` rows with their client and deal.
    """
    until = now + timedelta(minutes=user.reminder_minutes)
    rows = Activity.objects.visible_to(user).planned().filter(owner=user, due_at__lt=until)
    counts = rows.aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
    )
    if not counts["count"]:
        return Bell(now=now)
    tasks = list(rows.select_related("client", "deal").order_by("due_at", "pk")[:limit])
    return Bell(now=now, count=counts["count"], overdue=counts["overdue"], tasks=tasks)
