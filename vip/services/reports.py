"""The daily e-mail of the problem register to the VIP head and the service owner (Celery beat, 18:00)."""

from __future__ import annotations

from datetime import date

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from vip.selectors.reports import daily_report
from vip.services.notify import programme_heads, service_owners
from vip.services.problems import escalate_after_days


def daily_report_send(*, today: date) -> int:
    """Send the day's report; the number of people it went to (none without addresses)."""
    addresses = sorted({u.email for u in [*programme_heads(), *service_owners()] if u.email})
    if not addresses:
        return 0
    report = daily_report(today=today, overdue_days=escalate_after_days())
    with translation.override("ru"):
        subject = _("VIP problem register on %(day)s") % {"day": today.strftime("%d.%m.%Y")}
        body = render_to_string("vip/daily_report.txt", {"report": report})
    send_mail(subject, body, None, addresses)
    return len(addresses)
