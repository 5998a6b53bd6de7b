"""The demo department's contests (seed_demo): one running this month (% of plan, everyone) and last month's,
finished, with its results already sent (new clients, the same quota for each)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from analytics.models import Contest
from analytics.rules.contests import Metric
from analytics.services.contests import contest_save
from crm.models import Role, User


def contests_demo(as_of: date) -> dict[str, Any]:
    head = User.objects.filter(is_active=True, role=Role.HEAD).order_by("pk").first()
    sellers = list(User.objects.sellers().order_by("pk"))
    if head is None or len(sellers) < 2:
        return {"contests": 0}
    Contest.objects.all().delete()
    month = as_of.replace(day=1)
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    last_end = month - timedelta(days=1)
    last = last_end.replace(day=1)
    contest_save(
        by=head,
        name=f"Лучший по плану, {month:%m.%Y}",
        metric=Metric.PLAN,
        start=month,
        end=month_end,
        prizes="1 место: дополнительный оплачиваемый выходной и 30 000 ₽\n2 место: 15 000 ₽\n3 место: 7 000 ₽",
        entries=[(seller, None) for seller in sellers],
    )
    finished = contest_save(
        by=head,
        name=f"Новые клиенты, {last:%m.%Y}",
        metric=Metric.NEW_CLIENTS,
        start=last,
        end=last_end,
        prizes="1 место: сертификат на 20 000 ₽\n2-3 места: 10 000 ₽",
        entries=[(seller, Decimal("3")) for seller in sellers],
    )
    sent = timezone.make_aware(datetime.combine(month, time(3, 0)))
    Contest.objects.filter(pk=finished.pk).update(results_sent_at=sent)
    return {"contests": 2}
