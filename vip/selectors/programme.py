"""Reads behind the programme's pages (the list, candidates from the base, personal lists, campaigns), always through
`visible_to(user)`; each list is a fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.utils.translation import gettext

from crm.models import Activity, Client, OwnershipChange, SaleLine, User
from vip.models import Campaign, Problem, ProgrammeClient, Questionnaire, StaffAssignment
from vip.services.programme import MEETING_SUBJECT

OPEN_PROBLEM = ~Q(status=Problem.Status.CLOSED)


def _last_questionnaire(field: str, campaign: Campaign | None = None) -> Subquery:
    rows = Questionnaire.objects.filter(client_id=OuterRef("client_id"))
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return Subquery(rows.order_by("-meeting_date", "-id").values(field)[:1])


def programme_rows(*, user: User) -> QuerySet[ProgrammeClient]:
    """The list (the VIP head's: all) with the client's owner, the employee, the manager who first won the client
    (the first ownership change that gave it an owner), the last questionnaire and the open problems."""
    first_owner = (
        OwnershipChange.objects.filter(client_id=OuterRef("client_id"), to_owner__isnull=False)
        .order_by("at", "id")
        .values("to_owner_id")[:1]
    )
    open_problems = (
        Problem.objects.filter(OPEN_PROBLEM, client_id=OuterRef("client_id"))
        .order_by()
        .values("client_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        ProgrammeClient.objects.visible_to(user)
        .select_related("client", "client__owner", "assigned_to")
        .annotate(
            won_by_id=Subquery(first_owner, output_field=IntegerField()),
            last_q_id=_last_questionnaire("id"),
            last_q_date=_last_questionnaire("meeting_date"),
            last_q_status=_last_questionnaire("status"),
            open_problems=Coalesce(Subquery(open_problems, output_field=IntegerField()), Value(0)),
        )
        .order_by("client__name", "id")
    )


def attach_winners(rows: list[ProgrammeClient]) -> list[ProgrammeClient]:
    """One query for the managers who first won the clients of a page of rows."""
    ids = {r.won_by_id for r in rows if r.won_by_id}  # type: ignore[attr-defined]
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    for row in rows:
        row.won_by = users.get(row.won_by_id)  # type: ignore[attr-defined]
    return rows


def candidate_clients(
    *,
    user: User,
    today: date,
    segment_id: int | None = None,
    min_revenue: Decimal | None = None,
    corporate_only: bool = False,
) -> QuerySet[Client]:
    """Clients of the base not on the list yet, with their revenue of the last 12 months (to `today`)."""
    revenue = (
        SaleLine.objects.filter(client_id=OuterRef("pk"), date__gt=today - timedelta(days=365), date__lte=today)
        .order_by()
        .values("client_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
    rows = (
        Client.objects.visible_to(user)
        .exclude(Exists(ProgrammeClient.objects.filter(client_id=OuterRef("pk"))))
        .select_related("owner", "segment")
        .annotate(revenue_12m=Coalesce(Subquery(revenue, output_field=money), Value(Decimal(0)), output_field=money))
    )
    if segment_id:
        rows = rows.filter(segment_id=segment_id)
    if min_revenue is not None:
        rows = rows.filter(revenue_12m__gte=min_revenue)
    if corporate_only:
        rows = rows.annotate(inn_len=Length("inn")).filter(inn_len=10)
    return rows.order_by("-revenue_12m", "name", "id")


def current_campaign(*, user: User, today: date) -> Campaign | None:
    """The campaign running on `today`, else the latest one started before it, else the next one."""
    campaigns = list(Campaign.objects.visible_to(user).order_by("-start", "-id"))
    running = [c for c in campaigns if c.start <= today <= c.end]
    if running:
        return running[0]
    started = [c for c in campaigns if c.start <= today]
    return started[0] if started else (campaigns[-1] if campaigns else None)


class NextStep:
    SET_MEETING = "set_meeting"
    MEETING_SET = "meeting_set"
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    DONE = "done"


def my_list_rows(*, user: User, campaign: Campaign | None) -> list[ProgrammeClient]:
    """The user's personal list with each client's next step in the campaign: set up the meeting (or the meeting
    already set), the questionnaire in progress, paused on a problem, done this campaign."""
    meeting = Activity.objects.filter(
        client_id=OuterRef("client_id"),
        owner=user,
        done_at__isnull=True,
        subject__in={MEETING_SUBJECT, gettext(MEETING_SUBJECT)},
    )
    rows = list(
        ProgrammeClient.objects.visible_to(user)
        .filter(assigned_to=user)
        .select_related("client", "client__owner")
        .annotate(
            q_id=_last_questionnaire("id", campaign) if campaign else Value(None, output_field=IntegerField()),
            q_status=_last_questionnaire("status", campaign) if campaign else Value(""),
            meeting_due=Subquery(meeting.order_by("due_at").values("due_at")[:1]),
        )
        .order_by("client__name", "id")
    )
    for row in rows:
        status = row.q_status  # type: ignore[attr-defined]
        if status == Questionnaire.Status.COMPLETE:
            row.next_step = NextStep.DONE  # type: ignore[attr-defined]
        elif status == Questionnaire.Status.PAUSED:
            row.next_step = NextStep.PAUSED  # type: ignore[attr-defined]
        elif status == Questionnaire.Status.DRAFT:
            row.next_step = NextStep.IN_PROGRESS  # type: ignore[attr-defined]
        elif row.meeting_due:  # type: ignore[attr-defined]
            row.next_step = NextStep.MEETING_SET  # type: ignore[attr-defined]
        else:
            row.next_step = NextStep.SET_MEETING  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class CampaignProgress:
    clients: int
    met: int
    complete: int
    paused: int
    not_called: int


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """One aggregate over the list: clients met (a questionnaire in the campaign), complete, paused on a problem,
    and not yet called (no call to the client since the campaign's start and no questionnaire in it)."""
    in_campaign = Questionnaire.objects.filter(client_id=OuterRef("client_id"), campaign=campaign)
    called = Activity.objects.filter(
        client_id=OuterRef("client_id"), kind=Activity.Kind.CALL, done_at__date__gte=campaign.start
    )
    totals = (
        ProgrammeClient.objects.annotate(
            is_met=Exists(in_campaign),
            is_complete=Exists(in_campaign.filter(status=Questionnaire.Status.COMPLETE)),
            is_paused=Exists(in_campaign.filter(status=Questionnaire.Status.PAUSED)),
            is_called=Exists(called),
        )
        .order_by()
        .aggregate(
            clients=Count("pk"),
            met=Count("pk", filter=Q(is_met=True)),
            complete=Count("pk", filter=Q(is_complete=True)),
            paused=Count("pk", filter=Q(is_paused=True)),
            not_called=Count("pk", filter=Q(is_met=False, is_called=False)),
        )
    )
    return CampaignProgress(**totals)


def campaign_rows(user: User) -> QuerySet[Campaign]:
    return (
        Campaign.objects.visible_to(user)
        .annotate(
            staff=Count("assignments", distinct=True),
            complete=Count(
                "questionnaires", filter=Q(questionnaires__status=Questionnaire.Status.COMPLETE), distinct=True
            ),
        )
        .order_by("-start", "-id")
    )


def campaign_assignments(campaign: Campaign) -> QuerySet[StaffAssignment]:
    """The campaign's staff with their personal-list sizes and complete questionnaires in it."""
    clients = (
        ProgrammeClient.objects.filter(assigned_to_id=OuterRef("user_id"))
        .order_by()
        .values("assigned_to_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    done = (
        Questionnaire.objects.filter(
            employee_id=OuterRef("user_id"), campaign=campaign, status=Questionnaire.Status.COMPLETE
        )
        .order_by()
        .values("employee_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        campaign.assignments.select_related("user")
        .annotate(
            clients=Coalesce(Subquery(clients, output_field=IntegerField()), Value(0)),
            complete=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
        )
        .order_by("user__last_name", "user_id")
    )
