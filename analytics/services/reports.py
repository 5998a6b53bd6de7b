"""The analytics' letters: the morning sheet to each employee (08:30, working days) and the weekly report, the
dashboard as a PDF, to the head (Monday morning). Both are sent by Celery beat (analytics/tasks.py)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.selectors.morning import morning_sheet
from analytics.selectors.scope import sees_analytics
from crm.models import Role, User

logger = logging.getLogger(__name__)

FONTS = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts" / "noto-sans"
# Who gets the morning sheet: every seller (his own row, the team lead his team's) and the head (everyone's).
MORNING_ROLES = (Role.MANAGER, Role.TEAM_LEAD, Role.HEAD)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def weekly_report_pdf(*, user: User, as_of: date) -> bytes:
    """The dashboard of `user`'s scope on `as_of` as a PDF; the Cyrillic font is the vendored Noto Sans."""
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango, which only this needs

    from analytics.views.dashboard import dashboard_context

    context = {**dashboard_context(user, as_of), "pdf": True, "fonts": FONTS.as_uri(), "user": user}
    html = render_to_string("analytics/dashboard/weekly_pdf.html", context)
    return bytes(HTML(string=html, base_url=str(FONTS)).write_pdf())


def morning_recipients() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=MORNING_ROLES).exclude(email="").order_by("pk")


def morning_message(*, user: User, today: date) -> EmailMultiAlternatives:
    sheet = morning_sheet(user=user, today=today)
    context = {"sheet": sheet, "user": user, "url": _absolute(reverse("analytics_morning"))}
    message = EmailMultiAlternatives(
        subject=_("Morning sheet for %(day)s") % {"day": today.strftime("%d.%m.%Y")},
        body=render_to_string("analytics/morning/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("analytics/morning/email.html", context), "text/html")
    return message


def _send_each(users: QuerySet[User], build: object, today: date, what: str) -> dict[str, int]:
    counts: Counter[str] = Counter(sent=0, failed=0)
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not sees_analytics(user):
                continue
            try:
                build(user=user, today=today).send()  # type: ignore[operator]
            except Exception:
                # One bad address must not cost the rest their letters.
                logger.exception("The %s to user %s (%s) was not sent", what, user.pk, user.email)
                counts["failed"] += 1
            else:
                counts["sent"] += 1
    return dict(counts)


def morning_sheet_send_all(*, today: date) -> dict[str, int]:
    """Each employee his morning sheet of `today` (the working-day check is the task's)."""
    return _send_each(morning_recipients(), morning_message, today, "morning sheet")


def weekly_recipients() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.HEAD).exclude(email="").order_by("pk")


def weekly_message(*, user: User, today: date) -> EmailMultiAlternatives:
    context = {"user": user, "today": today, "url": _absolute(reverse("analytics_dashboard"))}
    message = EmailMultiAlternatives(
        subject=_("Weekly report for %(day)s") % {"day": today.strftime("%d.%m.%Y")},
        body=render_to_string("analytics/dashboard/weekly_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach(f"weekly-report-{today:%Y-%m-%d}.pdf", weekly_report_pdf(user=user, as_of=today), "application/pdf")
    return message


def weekly_report_send_all(*, today: date) -> dict[str, int]:
    """The head(s) the dashboard as of `today` as a PDF attachment."""
    return _send_each(weekly_recipients(), weekly_message, today, "weekly report")


def local_today() -> date:
    return timezone.localdate()
