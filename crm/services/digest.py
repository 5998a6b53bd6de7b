"""The morning e-mail digest: each manager's overdue tasks and active deals without a next task, as of `now`.

One letter (plain text and HTML, in Russian) per manager who has something to act on; nothing for one who has
nothing. A letter that fails is logged and the others still go (crm.tasks.morning_digest_task, `send_digest`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.models import Activity, Deal, Role, User

logger = logging.getLogger(__name__)

# Who has tasks of his own: sellers, the VIP head, the client base manager (the head and the service owner do not).
DIGEST_ROLES = (Role.MANAGER, Role.TEAM_LEAD, Role.VIP_HEAD, Role.BASE_MANAGER)


@dataclass(frozen=True)
class Digest:
    """One manager's morning letter: his overdue tasks and his active deals without a next task, as of `now`."""

    user: User
    now: datetime
    overdue_tasks: list[Activity]
    idle_deals: list[Deal]

    @property
    def is_empty(self) -> bool:
        return not self.overdue_tasks and not self.idle_deals


def absolute_url(path: str) -> str:
    """A link that works from a mail client: SITE_URL in front of the site's own path."""
    return f"{settings.SITE_URL}{path}"


def digest_recipients() -> QuerySet[User]:
    """Active users of the roles with tasks, with an e-mail, who keep the digest on."""
    return (
        User.objects.filter(is_active=True, digest_email=True, role__in=DIGEST_ROLES).exclude(email="").order_by("pk")
    )


def digest_for(*, user: User, now: datetime) -> Digest:
    """What `user` finds in his letter: only his own rows, read through `visible_to(user)`."""
    tasks = (
        Activity.objects.visible_to(user)
        .overdue(now)
        .filter(owner=user)
        .select_related("client", "deal")
        .order_by("due_at", "pk")
    )
    deals = (
        Deal.objects.visible_to(user)
        .without_open_task(now)
        .filter(owner=user)
        .select_related("client")
        .order_by("stage_changed_at", "pk")
    )
    return Digest(user=user, now=now, overdue_tasks=list(tasks), idle_deals=list(deals))


def digest_subject(*, overdue: int, idle: int) -> str:
    """«Ваш день: 3 просроченные задачи, 2 сделки без следующего шага», each part only when it is not zero."""
    parts = []
    if overdue:
        parts.append(ngettext("%(count)s overdue task", "%(count)s overdue tasks", overdue) % {"count": overdue})
    if idle:
        parts.append(
            ngettext("%(count)s deal without a next step", "%(count)s deals without a next step", idle)
            % {"count": idle}
        )
    return _("Your day: %(parts)s") % {"parts": ", ".join(parts)}


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The letter of one digest: a plain-text body and the same in HTML, with absolute links."""
    user = digest.user
    context = {
        "digest": digest,
        "name": user.first_name or user.get_full_name() or user.username,
        "tasks": [
            {
                "task": task,
                "url": absolute_url(
                    reverse("deal_detail", args=[task.deal_id])
                    if task.deal_id
                    else reverse("client_detail", args=[task.client_id])
                ),
            }
            for task in digest.overdue_tasks
        ],
        "deals": [
            {"deal": deal, "url": absolute_url(reverse("deal_detail", args=[deal.pk]))} for deal in digest.idle_deals
        ],
        "home_url": absolute_url(reverse("home")),
        "settings_url": absolute_url(reverse("my_settings")),
    }
    message = EmailMultiAlternatives(
        subject=digest_subject(overdue=len(digest.overdue_tasks), idle=len(digest.idle_deals)),
        body=render_to_string("crm/reminders/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("crm/reminders/digest_email.html", context), "text/html")
    return message


def digest_send_all(*, now: datetime) -> dict[str, int]:
    """Send every recipient his digest as of `now`; counts of letters sent, recipients with nothing, failures."""
    counts: Counter[str] = Counter(sent=0, empty=0, failed=0)
    with translation.override(settings.LANGUAGE_CODE):
        for user in digest_recipients():
            try:
                digest = digest_for(user=user, now=now)
                if digest.is_empty:
                    counts["empty"] += 1
                    continue
                digest_message(digest).send()
            except Exception:
                # One bad address or a mail server hiccup must not cost the rest of the department its letters.
                logger.exception("The morning digest to user %s (%s) was not sent", user.pk, user.email)
                counts["failed"] += 1
            else:
                counts["sent"] += 1
    return dict(counts)
