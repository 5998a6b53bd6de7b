"""The programme's numbers for the VIP head: each person's week against the quota, a campaign's progress, the
Pareto tiers and the overdue list, and the staffing of a campaign (docs/vip.md "Quotas", "Staffing").

What counts: a **complete** questionnaire, on its **meeting date** (a paper questionnaire typed in on Monday counts
on Friday, the day of the meeting). A questionnaire being filled or paused on a problem does not count yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q

from crm.models import User
from vip.models import Campaign, ProgrammeClient, Questionnaire, StaffAssignment
from vip.rules.frequency import MONTHLY, QUARTERLY, YEARLY
from vip.rules.staffing import Staffing, staffing


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def quota_for(load: str) -> int:
    return settings.VIP_QUOTA_DEDICATED if load == StaffAssignment.Load.DEDICATED else settings.VIP_QUOTA_PART_TIME


@dataclass
class PersonWeek:
    user: User
    load: str
    quota: int
    days: list[int] = field(default_factory=list)  # Monday..Sunday

    @property
    def total(self) -> int:
        return sum(self.days)

    @property
    def missing(self) -> int:
        return max(self.quota - self.total, 0)

    @property
    def met(self) -> bool:
        return self.total >= self.quota

    def as_dict(self) -> dict[str, object]:
        return {
            "user": self.user.pk,
            "name": self.user.get_full_name() or self.user.username,
            "load": self.load,
            "quota": self.quota,
            "days": self.days,
            "total": self.total,
            "missing": self.missing,
            "met": self.met,
        }


def week_quotas(user: User, week: date) -> tuple[list[date], list[PersonWeek]]:
    """The week's days (Monday..Sunday of `week`'s week) and, per person, complete questionnaires a day against the
    quota. The people: those assigned to a campaign running in the week (dedicated wins over part-time when a person
    is in two), and anyone else with a complete questionnaire that week (part-time quota). Three queries."""
    monday = week_start(week)
    days = [monday + timedelta(days=n) for n in range(7)]
    sunday = days[-1]
    loads: dict[int, str] = {}
    people: dict[int, User] = {}
    assignments = (
        StaffAssignment.objects.visible_to(user)
        .filter(campaign__start__lte=sunday)
        .select_related("user", "campaign")
        .order_by("user_id")
    )
    for assignment in assignments:
        if assignment.campaign.end < monday:
            continue
        people[assignment.user_id] = assignment.user
        if loads.get(assignment.user_id) != StaffAssignment.Load.DEDICATED:
            loads[assignment.user_id] = assignment.load
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    rows = (
        Questionnaire.objects.visible_to(user)
        .filter(status=Questionnaire.Status.COMPLETE, meeting_date__range=(monday, sunday))
        .values("employee_id", "meeting_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["employee_id"]][row["meeting_date"]] = row["n"]
    others = [pk for pk in counts if pk not in people]
    if others:
        people.update({u.pk: u for u in User.objects.filter(pk__in=others)})
    result = [
        PersonWeek(
            user=person,
            load=(load := loads.get(pk, StaffAssignment.Load.PART_TIME)),
            quota=quota_for(load),
            days=[counts[pk].get(day, 0) for day in days],
        )
        for pk, person in people.items()
    ]
    result.sort(key=lambda p: (p.user.get_full_name() or p.user.username, p.user.pk))
    return days, result


@dataclass(frozen=True)
class Progress:
    campaign: Campaign
    total: int
    met: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0

    def as_dict(self) -> dict[str, object]:
        return {"campaign": self.campaign.pk, "total": self.total, "met": self.met, "percent": self.percent}


def campaign_progress(user: User, campaign: Campaign) -> Progress:
    """Clients met in the campaign out of the programme's clients: a client is met when it has a complete
    questionnaire of the campaign, or one without a campaign dated within the campaign's period. Two queries."""
    met_q = Q(campaign=campaign) | Q(campaign__isnull=True, meeting_date__range=(campaign.start, campaign.end))
    total = ProgrammeClient.objects.visible_to(user).count()
    met = (
        Questionnaire.objects.visible_to(user)
        .filter(met_q, status=Questionnaire.Status.COMPLETE, client__vip_entry__isnull=False)
        .values("client_id")
        .distinct()
        .count()
    )
    return Progress(campaign=campaign, total=total, met=met)


def tier_counts(user: User, today: date) -> dict[str, int]:
    """Programme clients per tier, and how many are overdue at `today`; one query."""
    counts = ProgrammeClient.objects.visible_to(user).aggregate(
        monthly=Count("pk", filter=Q(tier=MONTHLY)),
        quarterly=Count("pk", filter=Q(tier=QUARTERLY)),
        yearly=Count("pk", filter=Q(tier=YEARLY)),
        overdue=Count("pk", filter=Q(next_due__lt=today)),
    )
    return {key: int(value) for key, value in counts.items()}


def overdue_clients(user: User, today: date, limit: int = 50) -> list[ProgrammeClient]:
    """Programme clients whose next meeting was due before `today`, the longest overdue first; one query."""
    return list(
        ProgrammeClient.objects.visible_to(user)
        .filter(next_due__lt=today)
        .select_related("client", "assigned_to", "client__owner")
        .order_by("next_due", "client__name", "pk")[:limit]
    )


def campaign_staffing(user: User, campaign: Campaign) -> Staffing:
    """The staffing of `campaign` from the tiers of the programme's clients and the staff assigned to it."""
    counts = tier_counts(user, campaign.start)
    loads = (
        StaffAssignment.objects.visible_to(user)
        .filter(campaign=campaign)
        .aggregate(
            dedicated=Count("pk", filter=Q(load=StaffAssignment.Load.DEDICATED)),
            part_time=Count("pk", filter=Q(load=StaffAssignment.Load.PART_TIME)),
        )
    )
    return staffing(
        tier_counts=counts,
        weeks=campaign.weeks,
        dedicated=loads["dedicated"],
        part_time=loads["part_time"],
        quota_dedicated=settings.VIP_QUOTA_DEDICATED,
        quota_part_time=settings.VIP_QUOTA_PART_TIME,
    )


def current_campaign(user: User, today: date) -> Campaign | None:
    """The campaign running at `today`, else the latest that started, else the next one."""
    campaigns = list(Campaign.objects.visible_to(user).order_by("-start", "-id"))
    for campaign in campaigns:
        if campaign.start <= today <= campaign.end:
            return campaign
    started = [c for c in campaigns if c.start <= today]
    return started[0] if started else (campaigns[-1] if campaigns else None)
