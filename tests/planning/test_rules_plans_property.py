"""Invariants of DOMAIN.md section 4 over random histories (hypothesis), on the pure `compute_plan`."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.rules.numbers import CROSS_SELL_COVER
from planning.rules.plans import compute_plan, window_average, window_months

MONTHS = window_months(date(2026, 5, 1))

amounts = st.decimals(min_value=Decimal("-50000"), max_value=Decimal("500000"), places=2)
rows = st.lists(st.tuples(st.integers(1, 12), st.sampled_from(MONTHS), amounts), max_size=80)
targets = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000000"), places=2)
one_off_shares = st.decimals(min_value=Decimal("0.20"), max_value=Decimal("0.25"), places=4)
existing_shares = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("0.6667"), places=4)


@settings(max_examples=300, deadline=None)
@given(rows=rows, target=targets, one_off_share=one_off_shares, existing_share=existing_shares)
def test_plan_invariants_hold_for_any_history(rows, target, one_off_share, existing_share):
    figures = compute_plan(
        rows, months=MONTHS, target=target, one_off_share=one_off_share, active_existing_share=existing_share
    )
    net: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for client_id, month, amount in rows:
        net[client_id][month] += amount

    assert figures.regular_total == sum((line.plan for line in figures.lines), Decimal("0"))
    for line in figures.lines:
        assert sum(1 for month in MONTHS if net[line.client_id][month] > 0) == line.months_with_purchases >= 3
        assert line.window_total == sum(net[line.client_id].values(), Decimal("0"))
        assert line.plan >= 0
    regular_ids = {line.client_id for line in figures.lines}
    for client_id, by_month in net.items():
        if sum(1 for v in by_month.values() if v > 0) >= 3:
            assert client_id in regular_ids
    assert figures.one_off >= 0
    assert figures.average_monthly >= 0
    # The nightly's drafts read A alone, without computing the lines twice.
    assert window_average(rows) == figures.average_monthly
    assert figures.cross_sell_cover == figures.active_existing * CROSS_SELL_COVER
    assert figures.active_gap == figures.target - figures.regular_total - figures.one_off
    if figures.active_gap >= 0:
        total = figures.regular_total + figures.one_off + figures.active_existing + figures.active_new
        assert total == figures.target
        assert figures.active_existing + figures.active_new == figures.active_gap
        assert figures.active_existing >= 0 and figures.active_new >= 0
    else:
        assert figures.gap_warning
    for value in (figures.regular_total, figures.one_off, figures.active_gap, figures.active_existing):
        assert value == value.quantize(Decimal("0.01"))
