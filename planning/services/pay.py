"""Pay a manager can compute in 20 seconds (DOMAIN.md section 5): the rule on plain numbers, and the head's writes.

The rule: pay = fixed + soft part + bonus, where
- soft part = soft x sum(KPI weight x achieved) / 10 000 (weights in per cent summing to 100, achieved 0-100);
- bonus = the rate of the HIGHEST plan-fulfilment threshold reached x the WHOLE month's paid sales (the fact).
  Below the lowest threshold (80 per cent by default) there is no bonus: below-plan performers earn below market.
  The rate applies to the whole fact, not only to the part above the threshold: seed [000] asks that any
  manager can say at any moment what he will get, and "3 per cent of everything I sold" is the one-line sum.
- a threshold is reached when fact x 100 >= target x threshold per cent, compared exactly (no rounded
  percentage decides a bonus: 79.999 per cent is below 80).
Every earned amount is rounded half-up to the kopeck (core.money). An amount still to sell is a minimum,
so it is rounded UP to the kopeck: selling exactly that amount does reach the threshold.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.money import to_money
from crm.models import Role, User
from planning.models import KpiResult, PayKpi, PayScheme, PayThreshold
from planning.rules.pay import (
    DEFAULT_THRESHOLDS,
    KpiInput,
    Threshold,
    validate_scheme,
)
from planning.selectors.pay import pay_limits

# --- the rule on plain numbers -----------------------------------------------------------------------------------


# --- validating and saving a scheme ------------------------------------------------------------------------------


@transaction.atomic
def pay_scheme_save(
    *,
    by: User,
    role: str,
    fixed: Decimal,
    soft: Decimal,
    kpis: Sequence[KpiInput],
    thresholds: Sequence[Threshold],
) -> PayScheme:
    """Create or replace a role's scheme. KPIs keep their ids (and their results); a KPI left out is removed."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head or the administrator changes pay schemes."))
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    validate_scheme(fixed=fixed, soft=soft, kpis=kpis, thresholds=thresholds, limits=pay_limits())
    scheme, _created = PayScheme.objects.select_for_update().get_or_create(role=role)
    scheme.fixed, scheme.soft = to_money(fixed), to_money(soft)
    scheme.save()
    existing = {k.pk: k for k in scheme.kpis.all()}
    unknown = [k.id for k in kpis if k.id is not None and k.id not in existing]
    if unknown:
        raise ValidationError({"kpis": [_("A KPI of another scheme cannot be edited here.")]})
    kept = {k.id for k in kpis if k.id is not None}
    scheme.kpis.exclude(pk__in=kept).delete()
    for item in kpis:
        if item.id is not None:
            kpi = existing[item.id]
            kpi.name, kpi.weight = item.name.strip(), item.weight
            kpi.save(update_fields=["name", "weight"])
        else:
            PayKpi.objects.create(scheme=scheme, name=item.name.strip(), weight=item.weight)
    scheme.thresholds.all().delete()
    PayThreshold.objects.bulk_create(
        PayThreshold(scheme=scheme, fulfilment_percent=t.percent, rate=t.rate) for t in thresholds
    )
    return scheme


@transaction.atomic
def kpi_results_set(*, by: User, month: date, results: dict[tuple[int, int], int | None]) -> int:
    """Set the month's KPI results: {(manager id, KPI id): achieved 0-100, or None to clear}; returns rows written."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head or the administrator enters KPI results."))
    month = month.replace(day=1)
    if any(v is not None and not 0 <= v <= 100 for v in results.values()):
        raise ValidationError({"achieved": [_("A KPI result is from 0 to 100 per cent.")]})
    kpi_roles = dict(PayKpi.objects.filter(pk__in={k for _m, k in results}).values_list("pk", "scheme__role"))
    manager_roles = dict(User.objects.filter(pk__in={m for m, _k in results}).values_list("pk", "role"))
    if any(kpi_roles.get(k) is None or kpi_roles[k] != manager_roles.get(m) for m, k in results):
        raise ValidationError({"achieved": [_("A KPI result belongs to a KPI of the manager's own role.")]})
    cleared = [Q(manager_id=m, kpi_id=k) for (m, k), v in results.items() if v is None]
    if cleared:
        KpiResult.objects.filter(reduce(operator.or_, cleared), month=month).delete()
    rows = [
        KpiResult(manager_id=m, month=month, kpi_id=k, achieved=v) for (m, k), v in results.items() if v is not None
    ]
    KpiResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["manager", "month", "kpi"], update_fields=["achieved"]
    )
    return len(rows)


# A starting point for a new department (seed_demo): a small fixed part, a soft part on 3 KPIs, bonuses at 80/90/100 %.
DEFAULT_KPIS = [
    ("Звонки клиентам (норма выполнена)", 40),
    ("Встречи с клиентами", 30),
    ("Коммерческие предложения", 30),
]
DEFAULT_SCHEMES = {
    Role.MANAGER: (Decimal("30000"), Decimal("10000")),
    Role.TEAM_LEAD: (Decimal("45000"), Decimal("15000")),
}


@transaction.atomic
def pay_schemes_default_create() -> int:
    """Create the default schemes of the roles that have none; the head edits them on /pay/schemes/."""
    created = 0
    for role, (fixed, soft) in DEFAULT_SCHEMES.items():
        scheme, is_new = PayScheme.objects.get_or_create(role=role, defaults={"fixed": fixed, "soft": soft})
        if not is_new:
            continue
        created += 1
        PayKpi.objects.bulk_create(PayKpi(scheme=scheme, name=name, weight=weight) for name, weight in DEFAULT_KPIS)
        PayThreshold.objects.bulk_create(
            PayThreshold(scheme=scheme, fulfilment_percent=percent, rate=rate) for percent, rate in DEFAULT_THRESHOLDS
        )
    return created
