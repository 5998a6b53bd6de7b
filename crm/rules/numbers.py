"""The numbers of DOMAIN.md, each written once: they are the defaults of the head's settings
(`crm.models.DepartmentSettings`, one field each), and every computation reads the setting, not this module.

A rule function takes its numbers as arguments; where a signature has a default, it is the one from here.
"""

from __future__ import annotations

from decimal import Decimal

# Section 3: prospects, the 3-month rule, new clients, the long list.
PROSPECT_LIST_SIZE = 100
REASSIGN_AFTER_MONTHS = 3
RULE_WARNING_DAYS = 14
REASSIGN_EXTENSION_DAYS = 30
NEW_CLIENT_AFTER_MONTHS = 5  # also the months without a purchase that make a client lost (section 8)
LONG_LIST_MIN, LONG_LIST_MAX = 50, 100
POTENTIAL_MONTHLY = Decimal("60000")  # worth the time: able to buy this much a month...
POTENTIAL_YEARLY = Decimal("500000")  # ...or this much a year (either suffices)
DAILY_COLD_CALLS = 30
FORMER_BUYER_MONTHS = 24  # "the largest sales over the last 1-2 years"
EARLY_IN_MONTH_DAYS = 10  # "one call a month, early in the month"

# Section 4: the monthly plan and working it.
PLAN_WINDOW_MONTHS = 4
REGULAR_MIN_MONTHS = 3  # of the window's months
ONE_OFF_SHARE_MIN, ONE_OFF_SHARE_MAX = Decimal("0.20"), Decimal("0.25")
EXISTING_SHARE_MIN, EXISTING_SHARE_MAX = Decimal("0.5"), Decimal("0.6667")
GAP_BAND_MIN, GAP_BAND_MAX = Decimal("25"), Decimal("40")  # G as per cent of T
CROSS_SELL_COVER = 5  # suggestions to carry, times E
REGULAR_CALLS_PER_WEEK = 2
WEEKS_PER_MONTH = 4  # each week asks for 1/4 of the monthly plan

# Section 5: pay.
KPIS_MIN, KPIS_MAX = 0, 5  # "a soft part tied to at most 5 KPIs (0 to 5)"
THRESHOLDS_MAX = 5

# Section 7: pipeline control.
SMALL_PIPELINE_SHARE = Decimal("0.5")  # of the average weighted pipeline per manager
