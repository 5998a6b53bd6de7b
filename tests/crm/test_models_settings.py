"""Every number of DOMAIN.md is the default of one department setting, and the computations read the setting."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.models import DepartmentSettings
from crm.rules import numbers as N
from planning.rules.pay import KpiInput, Threshold
from planning.rules.plans import window_months
from planning.services.pay import pay_scheme_save
from planning.services.plans import plan_generate
from tests.crm.factories import ClientFactory, SaleLineFactory

D = Decimal
MAY = date(2026, 5, 1)

DEFAULTS = {
    "prospect_list_size": N.PROSPECT_LIST_SIZE,
    "reassign_after_months": N.REASSIGN_AFTER_MONTHS,
    "rule_warning_days": N.RULE_WARNING_DAYS,
    "reassign_extension_days": N.REASSIGN_EXTENSION_DAYS,
    "new_client_after_months": N.NEW_CLIENT_AFTER_MONTHS,
    "long_list_min": N.LONG_LIST_MIN,
    "long_list_max": N.LONG_LIST_MAX,
    "potential_threshold": N.POTENTIAL_MONTHLY,
    "potential_yearly_threshold": N.POTENTIAL_YEARLY,
    "default_cold_calls": N.DAILY_COLD_CALLS,
    "former_buyer_months": N.FORMER_BUYER_MONTHS,
    "early_in_month_days": N.EARLY_IN_MONTH_DAYS,
    "plan_window_months": N.PLAN_WINDOW_MONTHS,
    "regular_min_months": N.REGULAR_MIN_MONTHS,
    "one_off_share_min": N.ONE_OFF_SHARE_MIN,
    "one_off_share_max": N.ONE_OFF_SHARE_MAX,
    "existing_share_min": N.EXISTING_SHARE_MIN,
    "existing_share_max": N.EXISTING_SHARE_MAX,
    "gap_band_min": N.GAP_BAND_MIN,
    "gap_band_max": N.GAP_BAND_MAX,
    "cross_sell_cover": N.CROSS_SELL_COVER,
    "regular_calls_per_week": N.REGULAR_CALLS_PER_WEEK,
    "weeks_per_month": N.WEEKS_PER_MONTH,
    "kpis_min": N.KPIS_MIN,
    "kpis_max": N.KPIS_MAX,
    "thresholds_max": N.THRESHOLDS_MAX,
    "small_pipeline_share": N.SMALL_PIPELINE_SHARE,
}


def test_each_number_is_the_default_of_its_setting_with_the_figures_of_domain():
    fields = {f.name: f for f in DepartmentSettings._meta.concrete_fields}
    assert {name: fields[name].default for name in DEFAULTS} == DEFAULTS
    domain = {
        "window, regular months, cover": (4, 3, 5),
        "one-off share, G band": (D("0.20"), D("0.25"), 25, 40),
        "3-month rule, new client, potential": (3, 5, D("60000")),
    }
    assert domain == {
        "window, regular months, cover": (N.PLAN_WINDOW_MONTHS, N.REGULAR_MIN_MONTHS, N.CROSS_SELL_COVER),
        "one-off share, G band": (N.ONE_OFF_SHARE_MIN, N.ONE_OFF_SHARE_MAX, N.GAP_BAND_MIN, N.GAP_BAND_MAX),
        "3-month rule, new client, potential": (
            N.REASSIGN_AFTER_MONTHS,
            N.NEW_CLIENT_AFTER_MONTHS,
            N.POTENTIAL_MONTHLY,
        ),
    }


def test_reading_the_settings_writes_nothing_and_gives_the_defaults(db):
    settings = DepartmentSettings.current()
    assert not DepartmentSettings.objects.exists()
    assert (settings.plan_window_months, settings.kpis_max) == (N.PLAN_WINDOW_MONTHS, N.KPIS_MAX)


def set_numbers(**values):
    settings = DepartmentSettings.current()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()


def test_the_plan_takes_the_heads_regular_months_cover_and_share_range(manager, head):
    client = ClientFactory(owner=manager)
    _jan, _feb, mar, apr = window_months(MAY)
    for month in (mar, apr):
        SaleLineFactory(client=client, manager=manager, date=month.replace(day=10), amount=D("40000"), is_paid=True)

    default = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)
    assert default.regular_total == D("0.00")  # 2 of 4 months: not regular by the default of 3

    set_numbers(regular_min_months=2, cross_sell_cover=4, one_off_share_min=D("0.10"))
    plan = plan_generate(manager=manager, month=MAY, target=D("100000"), by=head)

    # R = 80 000 / 4 = 20 000; A = 20 000, nothing one-off; G = 80 000; E = 1/2 G = 40 000; cover 4 x E.
    assert (plan.regular_total, plan.one_off_share, plan.active_existing) == (D("20000.00"), D("0.10"), D("40000.00"))
    assert plan.cross_sell_cover == D("160000.00")


def test_a_share_outside_the_heads_range_is_refused(manager, head):
    set_numbers(one_off_share_max=D("0.22"))
    with pytest.raises(ValidationError) as error:
        plan_generate(manager=manager, month=MAY, target=D("100000"), by=head, one_off_share=D("0.25"))
    assert "one_off_share" in error.value.message_dict


def test_a_pay_scheme_takes_the_heads_kpi_limits(head):
    kpis = [KpiInput(name="Звонки", weight=60), KpiInput(name="Встречи", weight=40)]
    thresholds = [Threshold(80, D("3")), Threshold(100, D("5"))]
    scheme = pay_scheme_save(
        by=head, role="manager", fixed=D("30000"), soft=D("10000"), kpis=kpis, thresholds=thresholds
    )
    assert sorted(scheme.kpis.values_list("weight", flat=True)) == [40, 60]  # 0 to 5 KPIs by default

    set_numbers(kpis_min=3)
    with pytest.raises(ValidationError) as error:
        pay_scheme_save(by=head, role="manager", fixed=D("30000"), soft=D("10000"), kpis=kpis, thresholds=thresholds)
    assert "kpis" in error.value.message_dict  # 2 KPIs: below the head's minimum of 3
