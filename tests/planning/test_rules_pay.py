"""The pay rule on plain numbers (DOMAIN.md section 5): thresholds at their edges, the soft part, the forecast."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from planning.rules.pay import (
    KpiInput,
    KpiLine,
    PayLimits,
    Threshold,
    fulfilment_percent,
    pay_for,
    pay_outlook,
    soft_part,
    validate_kpis,
    validate_scheme,
    validate_thresholds,
)

D = Decimal
THRESHOLDS = [Threshold(80, D("3")), Threshold(90, D("4")), Threshold(100, D("5"))]
# 50 x 100 + 30 x 50 + 20 x 0 = 6 500 points of 10 000: 65 per cent of the soft part.
KPIS = [KpiLine("Calls", 50, 100), KpiLine("New clients", 30, 50), KpiLine("Receivables", 20, 0)]
SCHEME = {"fixed": D("30000"), "soft": D("20000"), "kpis": KPIS, "thresholds": THRESHOLDS}
TARGET = D("1000000")


@pytest.mark.parametrize(
    ("fact", "fulfilment", "threshold", "bonus", "total"),
    [
        (D("799900"), D("79.99"), None, D("0.00"), D("43000.00")),  # below 80: no bonus at all
        (D("799999.99"), D("79.99"), None, D("0.00"), D("43000.00")),  # one kopeck short is short
        (D("800000"), D("80.00"), 80, D("24000.00"), D("67000.00")),  # 3 per cent of the whole fact
        (D("899900"), D("89.99"), 80, D("26997.00"), D("69997.00")),
        (D("900000"), D("90.00"), 90, D("36000.00"), D("79000.00")),
        (D("1000000"), D("100.00"), 100, D("50000.00"), D("93000.00")),
        (D("1300000"), D("130.00"), 100, D("65000.00"), D("108000.00")),  # 100+ keeps the top rate
        (D("0"), D("0.00"), None, D("0.00"), D("43000.00")),
    ],
)
def test_the_bonus_is_the_highest_reached_thresholds_rate_times_the_whole_fact(
    fact, fulfilment, threshold, bonus, total
):
    pay = pay_for(fact=fact, target=TARGET, **SCHEME)

    assert pay.fulfilment == fulfilment
    assert (pay.threshold.percent if pay.threshold else None) == threshold
    assert (pay.fixed, pay.soft_part, pay.bonus, pay.total) == (D("30000.00"), D("13000.00"), bonus, total)
    assert pay.fixed + pay.soft_part + pay.bonus == pay.total


def test_a_fulfilment_of_79_999_per_cent_shows_79_99_and_earns_no_bonus():
    pay = pay_for(fact=D("79999"), target=D("100000.01"), **SCHEME)

    assert pay.fulfilment == D("79.99")
    assert pay.threshold is None and pay.bonus == D("0.00")


def test_the_bonus_is_rounded_half_up_to_the_kopeck():
    assert pay_for(fact=D("800000.15"), target=TARGET, **SCHEME).bonus == D("24000.00")  # 24 000.0045
    assert pay_for(fact=D("800000.17"), target=TARGET, **SCHEME).bonus == D("24000.01")  # 24 000.0051


def test_the_soft_part_is_soft_times_weights_times_results_over_10000():
    kpis = [KpiLine("a", 34, 100), KpiLine("b", 33, 100), KpiLine("c", 33, 50)]  # 8 350 points

    assert soft_part(D("20000"), KPIS) == D("13000.00")
    assert soft_part(D("333.33"), kpis) == D("278.33")  # 278.330555 half-up
    assert soft_part(D("20000"), [KpiLine("a", 60, 100), KpiLine("b", 40, 100)]) == D("20000.00")


def test_a_kpi_result_not_entered_counts_as_nothing():
    kpis = [KpiLine("a", 50, None), KpiLine("b", 50, 100)]

    assert soft_part(D("20000"), kpis) == D("10000.00")
    assert kpis[0].contribution == D("0")


def test_without_a_plan_target_there_is_no_bonus_and_no_division_by_zero():
    for target in (None, D("0")):
        pay = pay_for(fact=D("500000"), target=target, **SCHEME)

        assert pay.fulfilment is None and pay.threshold is None
        assert (pay.bonus, pay.total) == (D("0.00"), D("43000.00"))
    assert fulfilment_percent(D("1"), D("0")) is None


def test_a_negative_month_of_refunds_earns_no_negative_bonus():
    pay = pay_for(fact=D("-5000"), target=TARGET, **SCHEME)

    assert (pay.fact, pay.bonus, pay.total) == (D("-5000.00"), D("0.00"), D("43000.00"))


def test_on_the_23rd_the_forecast_extrapolates_the_pace_and_the_next_threshold_says_what_it_takes():
    # Monday 23 November 2026: 15 of the month's 20 working days have passed (today counts; 4 November, Unity Day,
    # is a public holiday), 5 are left.
    outlook = pay_outlook(
        month=date(2026, 11, 1), today=date(2026, 11, 23), fact_so_far=D("480000"), target=TARGET, **SCHEME
    )

    assert (outlook.days_in_month, outlook.days_passed, outlook.days_left) == (20, 15, 5)
    assert outlook.earned.total == D("43000.00")  # 48 per cent: fixed and soft only
    assert outlook.forecast_fact == D("640000.00")  # 480 000 / 15 x 20
    assert outlook.forecast.fulfilment == D("64.00") and outlook.forecast.bonus == D("0.00")
    step = outlook.next_threshold
    assert step.threshold == Threshold(80, D("3"))
    assert (step.sales_at_threshold, step.still_needed, step.per_remaining_day) == (
        D("800000.00"),
        D("320000.00"),
        D("64000.00"),
    )
    assert step.pay.total == D("67000.00")  # 30 000 + 13 000 + 3 per cent of 800 000


def test_the_forecast_reaching_a_threshold_earns_its_bonus_and_the_next_threshold_is_above_the_fact_so_far():
    outlook = pay_outlook(
        month=date(2026, 11, 1), today=date(2026, 11, 25), fact_so_far=D("700000"), target=TARGET, **SCHEME
    )

    assert (outlook.days_passed, outlook.days_left) == (17, 3)
    assert outlook.forecast_fact == D("823529.41")  # 700 000 x 20 / 17 = 823 529.411..., half-up
    # 3 per cent of 823 529.41 = 24 705.8823, half-up to the kopeck.
    assert outlook.forecast.threshold == Threshold(80, D("3")) and outlook.forecast.bonus == D("24705.88")
    assert outlook.next_threshold.still_needed == D("100000.00")
    assert outlook.next_threshold.per_remaining_day == D("33333.34")  # a minimum is rounded up: 3 x it reaches 80


def test_above_the_last_threshold_there_is_no_next_one_and_without_a_target_neither():
    above = pay_outlook(
        month=date(2026, 11, 1), today=date(2026, 11, 23), fact_so_far=D("1000000"), target=TARGET, **SCHEME
    )
    no_plan = pay_outlook(
        month=date(2026, 11, 1), today=date(2026, 11, 23), fact_so_far=D("1000"), target=None, **SCHEME
    )

    assert above.next_threshold is None and above.earned.bonus == D("50000.00")
    assert no_plan.next_threshold is None and no_plan.forecast.bonus == D("0.00")


def test_before_the_first_working_day_the_forecast_is_the_fact_so_far_and_after_the_month_nothing_is_left():
    sunday_first = pay_outlook(
        month=date(2026, 11, 1), today=date(2026, 11, 1), fact_so_far=D("0"), target=TARGET, **SCHEME
    )
    month_over = pay_outlook(
        month=date(2026, 10, 1), today=date(2026, 11, 23), fact_so_far=D("850000"), target=TARGET, **SCHEME
    )

    assert (sunday_first.days_passed, sunday_first.forecast_fact) == (0, D("0.00"))
    assert sunday_first.next_threshold.per_remaining_day == D("40000.00")  # 800 000 / 20 working days
    assert (month_over.days_passed, month_over.days_left) == (22, 0)
    assert month_over.forecast_fact == D("850000.00")
    assert month_over.next_threshold.per_remaining_day is None  # no working day left: no pace to ask for


def kpis(*weights):
    return [KpiInput(name=f"KPI {i}", weight=w) for i, w in enumerate(weights)]


def test_a_scheme_has_0_to_5_kpis_by_default_with_weights_adding_up_to_100():
    validate_kpis([])
    validate_kpis(kpis(100))
    validate_kpis(kpis(60, 40))
    validate_kpis(kpis(20, 20, 20, 20, 20))
    with pytest.raises(ValidationError, match="from 0 to 5 KPIs"):
        validate_kpis(kpis(20, 20, 20, 20, 10, 10))


def test_the_heads_kpi_limits_are_arguments_of_the_rule():
    three_to_five = PayLimits(kpis_min=3, kpis_max=5)
    validate_kpis(kpis(50, 30, 20), three_to_five)
    with pytest.raises(ValidationError, match="from 3 to 5 KPIs"):
        validate_kpis(kpis(60, 40), three_to_five)


def test_a_soft_part_without_a_kpi_is_refused_and_a_scheme_without_either_is_fine():
    with pytest.raises(ValidationError) as error:
        validate_scheme(fixed=D("30000"), soft=D("10000"), kpis=[], thresholds=THRESHOLDS)
    assert "soft" in error.value.message_dict
    validate_scheme(fixed=D("30000"), soft=D("0"), kpis=[], thresholds=THRESHOLDS)


def test_weights_add_up_to_100_and_names_are_unique():
    with pytest.raises(ValidationError, match="add up to 90 per cent"):
        validate_kpis(kpis(40, 30, 20))
    with pytest.raises(ValidationError, match="same name"):
        validate_kpis([KpiInput("Calls", 50), KpiInput("calls ", 30), KpiInput("Other", 20)])


def test_thresholds_must_go_up_and_their_rates_too():
    validate_thresholds(THRESHOLDS)
    with pytest.raises(ValidationError, match="Thresholds must go up"):
        validate_thresholds([Threshold(100, D("3")), Threshold(90, D("4")), Threshold(80, D("5"))])
    with pytest.raises(ValidationError, match="Bonus rates must go up"):
        validate_thresholds([Threshold(80, D("5")), Threshold(90, D("4")), Threshold(100, D("3"))])
    with pytest.raises(ValidationError, match="from 1 to 5 bonus thresholds"):
        validate_thresholds([])


def test_a_scheme_reports_every_mistake_at_once():
    with pytest.raises(ValidationError) as caught:
        validate_scheme(
            fixed=D("-1"), soft=D("0"), kpis=kpis(60, 30), thresholds=[Threshold(90, D("3")), Threshold(80, D("4"))]
        )

    assert set(caught.value.message_dict) == {"fixed", "kpis", "thresholds"}


def test_in_january_the_new_year_holidays_are_not_working_days():
    # January 2027: 21 weekdays, less 1 and 4-8 January (the New Year holidays): 15 working days, the first is the
    # 11th. On the 15th, 5 have passed (11-15 January).
    outlook = pay_outlook(
        month=date(2027, 1, 1), today=date(2027, 1, 15), fact_so_far=D("300000"), target=TARGET, **SCHEME
    )
    assert (outlook.days_in_month, outlook.days_passed, outlook.days_left) == (15, 5, 10)
    assert outlook.forecast_fact == D("900000.00")  # 300 000 / 5 x 15
    early = pay_outlook(month=date(2027, 1, 1), today=date(2027, 1, 8), fact_so_far=D("0"), target=TARGET, **SCHEME)
    assert early.days_passed == 0 and early.forecast_fact == D("0.00")
