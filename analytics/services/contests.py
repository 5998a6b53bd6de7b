"""Contests' writes: the head makes and changes a contest; the results go by e-mail to every participant once the
contest is over (analytics/nightly.py `contests_finish`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.models import Contest, ContestParticipant
from analytics.rules.contests import Metric
from analytics.selectors.contests import Leaderboard, leaderboard
from crm.models import User

logger = logging.getLogger(__name__)

MIN_PARTICIPANTS = 2


def _check(
    *, name: str, metric: str, start: date | None, end: date | None, entries: Sequence[tuple[User, Decimal | None]]
) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the contest.")]
    if metric not in Metric.values:
        errors["metric"] = [_("Choose a metric.")]
    if start is None:
        errors["start"] = [_("Give the first day.")]
    if end is None:
        errors["end"] = [_("Give the last day.")]
    if start and end and end < start:
        errors["end"] = [_("The contest cannot end before it starts.")]
    people = [user for user, _quota in entries]
    if len({user.pk for user in people}) < MIN_PARTICIPANTS:
        errors["participants"] = [_("A contest needs at least 2 participants.")]
    elif len({user.pk for user in people}) != len(people):
        errors["participants"] = [_("Each participant once.")]
    strangers = [str(user) for user in people if not (user.is_active and user.is_seller)]
    if strangers:
        errors["participants"] = [_("Only sales managers and team leads take part: %s.") % ", ".join(strangers)]
    negative = [str(user) for user, quota in entries if quota is not None and quota < 0]
    if negative:
        errors["quotas"] = [_("A quota cannot be negative: %s.") % ", ".join(negative)]
    if metric != Metric.PLAN:
        missing = [str(user) for user, quota in entries if quota is None]
        if missing:
            errors["quotas"] = [_("Give a quota to every participant: %s.") % ", ".join(missing)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contest_save(
    *,
    by: User,
    contest: Contest | None = None,
    name: str,
    metric: str,
    start: date | None,
    end: date | None,
    prizes: str = "",
    entries: Sequence[tuple[User, Decimal | None]],
) -> Contest:
    """Create (or change) a contest with its participants and their quotas. A quota left empty in a "% of plan"
    contest is read from the participant's plans; the other metrics need a number for everyone."""
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head makes contests."))
    if contest is not None and contest.results_sent_at is not None:
        raise ValidationError(_("The results of this contest have been sent: it cannot be changed."))
    _check(name=name, metric=metric, start=start, end=end, entries=entries)
    assert start is not None and end is not None
    if contest is None:
        contest = Contest(created_by=by)
    contest.name = name.strip()
    contest.metric = metric
    contest.start = start
    contest.end = end
    contest.prizes = prizes.strip()
    contest.full_clean(exclude=["created_by", "results_sent_at"])
    contest.save()
    contest.entries.exclude(user__in=[user for user, _quota in entries]).delete()
    for user, quota in entries:
        ContestParticipant.objects.update_or_create(contest=contest, user=user, defaults={"quota": quota})
    return contest


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def results_message(board: Leaderboard, user: User) -> EmailMultiAlternatives | None:
    """One participant's letter: his position and figures, the top three, the prizes."""
    mine = board.row_of(user)
    if mine is None or not user.email:
        return None
    context = {
        "board": board,
        "contest": board.contest,
        "mine": mine,
        "name": user.first_name or str(user),
        "url": _absolute(reverse("analytics_contest_detail", args=[board.contest.pk])),
    }
    subject = _("Results of the contest «%(name)s»: you are #%(position)s of %(count)s") % {
        "name": board.contest.name,
        "position": mine.position,
        "count": board.sample,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("analytics/contests/results_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("analytics/contests/results_email.html", context), "text/html")
    return message


def contest_results_send(*, contest_id: int, now: datetime | None = None) -> dict[str, int]:
    """E-mail the final board to every participant, once: the contest row is locked and `results_sent_at` set in
    the same transaction, so a second run (or one running meanwhile) sends nothing."""
    counts = {"sent": 0, "failed": 0, "no_email": 0}
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest_id)
        if contest.results_sent_at is not None:
            return counts
        board = leaderboard(contest=contest, as_of=contest.end)
        with translation.override(settings.LANGUAGE_CODE):
            for row in board.rows:
                try:
                    message = results_message(board, row.user)
                    if message is None:
                        counts["no_email"] += 1
                        continue
                    message.send()
                except Exception:
                    # One bad address must not cost the others their letters (and the letters are not resent).
                    logger.exception("Contest %s results to user %s were not sent", contest.pk, row.user.pk)
                    counts["failed"] += 1
                else:
                    counts["sent"] += 1
        contest.results_sent_at = now or timezone.now()
        contest.save(update_fields=["results_sent_at"])
    return counts
