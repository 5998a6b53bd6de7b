"""Issue 9, "Done when": each number on the settings page, changed by the head, is used by the next computation.

Every case builds a small scenario, runs the computation that reads the setting with the defaults and checks the
default outcome, posts the settings page as the head with every current value and that one change, then runs the
same computation again and checks the new outcome. `EFFECTS` holds one case per field of `SETTINGS_FIELDS`: a new
setting without an effect test fails `test_every_setting_on_the_page_has_an_effect_test`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField
from django.urls import reverse
from django.utils import timezone

from crm.models import Activity, Client, DepartmentSettings, LongList, LongListEntry, Reassignment, Role
from crm.models.settings import SETTINGS_FIELDS
from crm.nightly import client_statuses_refresh, long_lists_draft, reassignment_flags_refresh
from crm.rules.stages import Stage
from crm.selectors.hunting import cold_call_widget, long_list_page
from crm.selectors.prospects import list_progress
from crm.selectors.reassignments import clients_near_rule
from crm.services.hunting import long_list_draft, long_list_entry_update
from crm.services.prospects import prospect_entry_add, prospect_list_create
from crm.services.reassignments import reassignment_extend
from planning.models import Plan
from planning.rules.pay import KpiInput, Threshold
from planning.selectors.plans import plan_explained
from planning.selectors.work import plan_work
from planning.services.pay import pay_scheme_save
from planning.services.plans import plan_approve, plan_generate
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

D = Decimal
URL = "/settings/"
JUNE = date(2026, 6, 1)  # a plan month: the default window is February to May 2026
JULY = date(2026, 7, 1)
NINTH = date(2026, 6, 9)
T = D("100000")


# --- posting the settings page -----------------------------------------------------------------------------------


def is_boolean(name: str) -> bool:
    return isinstance(DepartmentSettings._meta.get_field(name), BooleanField)


def page_data(**changes: Any) -> dict[str, str]:
    """What the page posts: every field of SETTINGS_FIELDS with its current value (a ticked box is "on", an unticked
    one is absent), then `changes`."""
    settings = DepartmentSettings.current()
    values = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    values.update(changes)
    data: dict[str, str] = {}
    for name, value in values.items():
        if is_boolean(name):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def post_settings(client, head, **changes: Any) -> None:
    client.force_login(head)
    response = client.post(URL, page_data(**changes))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    saved = DepartmentSettings.current()
    for name, value in changes.items():
        expected = bool(value) if is_boolean(name) else type(getattr(saved, name))(value)
        assert getattr(saved, name) == expected, name


class Scenario:
    """What a case gets: the role fixtures by name, and `change(value)`, which posts the page changing the case's
    own setting only (so a case cannot pass by changing another number)."""

    def __init__(self, name: str, request: pytest.FixtureRequest) -> None:
        self.name = name
        self.request = request
        self.changed = False

    def __getattr__(self, fixture: str) -> Any:
        return self.request.getfixturevalue(fixture)

    def change(self, value: Any) -> None:
        assert not self.changed, "one change per case"
        default = DepartmentSettings._meta.get_field(self.name).default
        assert getattr(DepartmentSettings.current(), self.name) == default  # the first run read the default
        post_settings(
            self.request.getfixturevalue("client"), self.request.getfixturevalue("head"), **{self.name: value}
        )
        assert getattr(DepartmentSettings.current(), self.name) != default
        self.changed = True


EFFECTS: dict[str, Callable[[Scenario], None]] = {}


def effect(name: str) -> Callable[[Callable[[Scenario], None]], Callable[[Scenario], None]]:
    def register(case: Callable[[Scenario], None]) -> Callable[[Scenario], None]:
        assert name not in EFFECTS, name
        EFFECTS[name] = case
        return case

    return register


# --- scenario helpers --------------------------------------------------------------------------------------------


def bought(client: Client, *amounts_and_days: tuple[str, date]) -> Client:
    for amount, day in amounts_and_days:
        SaleLineFactory(client=client, date=day, amount=D(amount))
    return client


def monthly_buyer(manager, amount: str, months: list[int]) -> Client:
    """A client of `manager` buying `amount` on the 15th of each of `months` of 2026."""
    return bought(ClientFactory(owner=manager), *((amount, date(2026, m, 15)) for m in months))


def at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def long_list_with_one_entry(manager, month: date = JUNE) -> LongListEntry:
    long_list = LongList.objects.create(owner=manager, month=month)
    return LongListEntry.objects.create(
        long_list=long_list, client=ClientFactory(owner=manager), reason=LongListEntry.Reason.NEVER_BOUGHT, rank=1
    )


def entry_after_call(entry: LongListEntry, manager, **data: Any) -> LongListEntry:
    long_list_entry_update(entry=entry, by=manager, data=data)
    entry.refresh_from_db()
    return entry


def save_scheme(head, *, kpis: int = 0, thresholds: int = 2):
    weights = [100 // kpis + (100 % kpis if i == 0 else 0) for i in range(kpis)] if kpis else []
    return pay_scheme_save(
        by=head,
        role=Role.MANAGER,
        fixed=D("30000"),
        soft=D("20000") if kpis else D("0"),
        kpis=[KpiInput(name=f"KPI {i + 1}", weight=w) for i, w in enumerate(weights)],
        thresholds=[Threshold(50 + 10 * i, D(i + 1)) for i in range(thresholds)],
    )


def error_keys(call: Callable[[], Any]) -> set[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return set(error.value.message_dict)


# --- section 3: prospects, the 3-month rule, new clients, the long list ------------------------------------------


@effect("prospect_list_size")
def _prospect_list_size(s: Scenario) -> None:
    plist = prospect_list_create(by=s.manager, name="Июнь")
    full = {"phone": "+74950000010", "email": "a@example.ru", "address": "Москва"}
    prospect_entry_add(prospect_list=plist, by=s.manager, data={"name": "ООО Полная", **full})

    progress = list_progress(plist)
    assert (progress.target, progress.ready, progress.missing, progress.percent) == (100, 1, 99, 1)

    s.change(50)

    progress = list_progress(plist)
    assert (progress.target, progress.ready, progress.missing, progress.percent) == (50, 1, 49, 2)


@effect("reassign_after_months")
def _reassign_after_months(s: Scenario) -> None:
    client = ClientFactory(owner=s.manager, owned_since=date(2026, 2, 1))  # nothing concluded since
    as_of = date(2026, 4, 15)

    assert reassignment_flags_refresh(as_of)["flagged"] == 0  # 3 months: caught on 1 May

    s.change(2)

    assert reassignment_flags_refresh(as_of)["flagged"] == 1  # 2 months: caught on 1 April
    flag = Reassignment.objects.get()
    assert (flag.client, flag.owner, flag.flagged_on) == (client, s.manager, as_of)


@effect("rule_warning_days")
def _rule_warning_days(s: Scenario) -> None:
    client = ClientFactory(owner=s.manager, owned_since=date(2026, 1, 1))  # the rule catches it on 1 April
    today = date(2026, 3, 10)

    assert clients_near_rule(s.manager, today) == []  # 14 days: warned from 18 March

    s.change(30)

    near = clients_near_rule(s.manager, today)
    assert [(c, c.rule_date) for c in near] == [(client, date(2026, 4, 1))]


@effect("reassign_extension_days")
def _reassign_extension_days(s: Scenario) -> None:
    first, second = (ClientFactory(owner=s.manager, owned_since=date(2026, 1, 1)) for _ in range(2))
    today = date(2026, 4, 2)
    assert reassignment_flags_refresh(today)["flagged"] == 2
    flag_of = {flag.client_id: flag for flag in Reassignment.objects.all()}

    extended = reassignment_extend(reassignment=flag_of[first.pk], by=s.head, reason="Идут переговоры", today=today)
    assert extended.extended_until == date(2026, 5, 2)  # 30 days

    s.change(21)

    extended = reassignment_extend(reassignment=flag_of[second.pk], by=s.head, reason="Идут переговоры", today=today)
    assert extended.extended_until == date(2026, 4, 23)  # 21 days
    # The nightly brings back the 21-day extension after its last day; the 30-day one still holds.
    assert reassignment_flags_refresh(date(2026, 4, 24))["back_from_extension"] == 1
    statuses = dict(Reassignment.objects.values_list("client_id", "status"))
    assert statuses == {first.pk: Reassignment.Status.EXTENDED, second.pk: Reassignment.Status.PENDING}


@effect("new_client_after_months")
def _new_client_after_months(s: Scenario) -> None:
    buyer = bought(ClientFactory(owner=s.manager), ("50000", date(2026, 2, 15)))
    as_of = date(2026, 7, 10)

    counts = client_statuses_refresh(as_of)  # 5 months: a purchase since 1 February keeps it active
    buyer.refresh_from_db()
    assert (counts["became_lost"], buyer.status) == (0, Client.Status.ACTIVE)

    s.change(4)

    counts = client_statuses_refresh(as_of)  # 4 months: nothing since 1 March, lost
    buyer.refresh_from_db()
    assert (counts["became_lost"], buyer.status) == (1, Client.Status.LOST)


@effect("long_list_min")
def _long_list_min(s: Scenario) -> None:
    for _ in range(3):
        ClientFactory(owner=s.manager)  # never bought

    counts = long_lists_draft(JUNE)
    assert (counts["drafted"], counts["entries"], counts["below_min"]) == (1, 3, 1)  # 3 < 50

    s.change(3)

    counts = long_lists_draft(JULY)  # the 3 entries carry over to July
    assert (counts["drafted"], counts["entries"], counts["below_min"]) == (1, 3, 0)


@effect("long_list_max")
def _long_list_max(s: Scenario) -> None:
    for seller in (s.manager, s.teammate):
        ClientFactory.create_batch(51, owner=seller)  # never bought

    assert long_list_draft(manager=s.manager, month=JUNE, by=s.head).entries.count() == 51  # at most 100

    s.change(50)

    entries = long_list_draft(manager=s.teammate, month=JUNE, by=s.head).entries
    assert entries.count() == 50
    assert sorted(entries.values_list("rank", flat=True)) == list(range(1, 51))


@effect("potential_threshold")
def _potential_threshold(s: Scenario) -> None:
    entry = long_list_with_one_entry(s.manager)

    assert entry_after_call(entry, s.manager, potential_monthly=D("65000")).not_worth is False  # 65 000 >= 60 000

    s.change(D("70000"))

    assert entry_after_call(entry, s.manager, potential_monthly=D("65000")).not_worth is True  # 65 000 < 70 000


@effect("potential_yearly_threshold")
def _potential_yearly_threshold(s: Scenario) -> None:
    entry = long_list_with_one_entry(s.manager)

    assert entry_after_call(entry, s.manager, potential_yearly=D("550000")).not_worth is False  # >= 500 000

    s.change(D("600000"))

    assert entry_after_call(entry, s.manager, potential_yearly=D("550000")).not_worth is True  # < 600 000


@effect("default_cold_calls")
def _default_cold_calls(s: Scenario) -> None:
    day = date(2026, 6, 10)
    ActivityFactory(
        client=ClientFactory(owner=s.manager, status=Client.Status.PROSPECT),
        owner=s.manager,
        direction=Activity.Direction.OUTGOING,
        done_at=at(day),
    )
    sellers = type(s.manager).objects.filter(pk=s.manager.pk)

    widget = cold_call_widget(sellers, day)
    assert [(r.norm, r.done, r.percent) for r in widget["rows"]] == [(30, 1, 3)]
    assert widget["norm"] == 30

    s.change(20)

    widget = cold_call_widget(sellers, day)
    assert [(r.norm, r.done, r.percent) for r in widget["rows"]] == [(20, 1, 5)]
    assert widget["norm"] == 20


@effect("former_buyer_months")
def _former_buyer_months(s: Scenario) -> None:
    # Nothing bought since 1 January 2026 (the 5 new-client months before June): a former buyer whose turnover is
    # read over the former-buyer months before June.
    sales = (("50000", date(2024, 10, 15)), ("30000", date(2025, 8, 15)))
    for seller in (s.manager, s.teammate):
        bought(ClientFactory(owner=seller), *sales)

    entry = long_list_draft(manager=s.manager, month=JUNE, by=s.head).entries.get()
    assert (entry.reason, entry.past_turnover) == (LongListEntry.Reason.FORMER_BUYER, D("80000.00"))  # since 06.2024

    s.change(12)

    entry = long_list_draft(manager=s.teammate, month=JUNE, by=s.head).entries.get()
    assert (entry.reason, entry.past_turnover) == (LongListEntry.Reason.FORMER_BUYER, D("30000.00"))  # since 06.2025


@effect("early_in_month_days")
def _early_in_month_days(s: Scenario) -> None:
    called = long_list_with_one_entry(s.manager)
    long_list = called.long_list
    LongListEntry.objects.create(
        long_list=long_list, client=ClientFactory(owner=s.manager), reason=LongListEntry.Reason.NEVER_BOUGHT, rank=2
    )
    ActivityFactory(client=called.client, owner=s.manager, direction=Activity.Direction.OUTGOING, done_at=at(NINTH))

    def on_time() -> list[bool]:
        """The long list page (LongListView reads the settings itself): a call on the 9th is early or late; the
        flag does not depend on the day the page is opened."""
        s.client.force_login(s.manager)
        page = s.client.get(reverse("long_list"), {"month": "2026-06", "manager": s.manager.pk}).context["page"]
        return [entry.on_time for entry in page.entries]

    def progress() -> tuple[bool, int, int]:
        """The same page's selector on the 9th, with the settings the page passes it."""
        page = long_list_page(long_list=long_list, today=NINTH, settings=DepartmentSettings.current())
        return page.in_first_days, page.first_days_left, page.overdue

    assert on_time() == [True, False]  # days 1-10: the 9th is early
    assert progress() == (True, 2, 0)  # the 9th and the 10th left, nothing overdue yet

    s.change(7)

    assert on_time() == [False, False]  # days 1-7: the 9th is late
    assert progress() == (False, 0, 1)  # the early days are over: the company not called is overdue


# --- section 4: the monthly plan ---------------------------------------------------------------------------------


def plan_of(s: Scenario, **kwargs: Any) -> Plan:
    return plan_generate(manager=s.manager, month=JUNE, target=kwargs.pop("target", T), by=s.head, **kwargs)


@effect("plan_window_months")
def _plan_window_months(s: Scenario) -> None:
    bought(ClientFactory(owner=s.manager), ("50000", date(2026, 1, 15)), ("40000", date(2026, 5, 15)))

    plan = plan_of(s)
    assert (plan.window_start, plan.window_total, plan.average_monthly, plan.months_worked) == (
        date(2026, 2, 1),
        D("40000.00"),
        D("10000.00"),  # A = 40 000 / 4
        1,
    )

    s.change(5)

    plan = plan_of(s)
    assert (plan.window_start, plan.window_total, plan.average_monthly, plan.months_worked) == (
        date(2026, 1, 1),
        D("90000.00"),
        D("18000.00"),  # A = 90 000 / 5
        2,
    )


@effect("regular_min_months")
def _regular_min_months(s: Scenario) -> None:
    monthly_buyer(s.manager, "40000", [4, 5])  # 2 of the 4 months

    plan = plan_of(s)
    assert (plan.regular_total, plan.lines.count()) == (D("0.00"), 0)

    s.change(2)

    plan = plan_of(s)
    assert (plan.regular_total, plan.lines.count()) == (D("20000.00"), 1)  # R = 80 000 / 4


@effect("one_off_share_min")
def _one_off_share_min(s: Scenario) -> None:
    monthly_buyer(s.manager, "40000", [5])  # A = 10 000, not regular

    plan = plan_of(s)
    assert (plan.one_off_share, plan.one_off) == (D("0.2000"), D("2000.00"))  # a new plan starts at the minimum

    s.change(D("0.1000"))

    plan = plan_of(s)
    assert (plan.one_off_share, plan.one_off) == (D("0.1000"), D("1000.00"))


@effect("one_off_share_max")
def _one_off_share_max(s: Scenario) -> None:
    monthly_buyer(s.manager, "40000", [5])  # A = 10 000, not regular

    assert error_keys(lambda: plan_of(s, one_off_share=D("0.30"))) == {"one_off_share"}  # above 0.25

    s.change(D("0.3000"))

    plan = plan_of(s, one_off_share=D("0.30"))
    assert (plan.one_off_share, plan.one_off) == (D("0.3000"), D("3000.00"))


@effect("existing_share_min")
def _existing_share_min(s: Scenario) -> None:
    plan = plan_of(s)  # no history: G = T
    assert (plan.active_existing_share, plan.active_existing, plan.active_new) == (
        D("0.5000"),
        D("50000.00"),
        D("50000.00"),
    )

    s.change(D("0.4000"))

    plan = plan_of(s)
    assert (plan.active_existing_share, plan.active_existing, plan.active_new) == (
        D("0.4000"),
        D("40000.00"),
        D("60000.00"),
    )


@effect("existing_share_max")
def _existing_share_max(s: Scenario) -> None:
    assert error_keys(lambda: plan_of(s, active_existing_share=D("0.7"))) == {"active_existing_share"}  # > 0.6667

    s.change(D("0.7000"))

    plan = plan_of(s, active_existing_share=D("0.7"))
    assert (plan.active_existing, plan.active_new) == (D("70000.00"), D("30000.00"))


@effect("gap_band_min")
def _gap_band_min(s: Scenario) -> None:
    monthly_buyer(s.manager, "80000", [2, 3, 4, 5])  # R = A = 80 000, O = 0: G = 20 000
    plan = plan_of(s)

    explained = plan_explained(plan)
    assert (explained["gap_percent"], explained["gap_warning"]) == (D("20.0"), True)  # below 25 %

    s.change(D("20.00"))

    explained = plan_explained(plan)
    assert (explained["gap_percent"], explained["gap_warning"]) == (D("20.0"), False)


@effect("gap_band_max")
def _gap_band_max(s: Scenario) -> None:
    monthly_buyer(s.manager, "55000", [2, 3, 4, 5])  # R = A = 55 000, O = 0: G = 45 000
    plan = plan_of(s)

    explained = plan_explained(plan)
    assert (explained["gap_percent"], explained["gap_warning"]) == (D("45.0"), True)  # above 40 %

    s.change(D("45.00"))

    explained = plan_explained(plan)
    assert (explained["gap_percent"], explained["gap_warning"]) == (D("45.0"), False)


@effect("cross_sell_cover")
def _cross_sell_cover(s: Scenario) -> None:
    plan = plan_of(s)  # no history: E = T / 2 = 50 000
    assert (plan.active_existing, plan.cross_sell_cover) == (D("50000.00"), D("250000.00"))

    s.change(4)

    plan = plan_of(s)
    assert (plan.active_existing, plan.cross_sell_cover) == (D("50000.00"), D("200000.00"))


def worked_plan(s: Scenario) -> tuple[Client, date]:
    """A regular client (30 000 a month in February to May: his June plan is 30 000) called once this week."""
    regular = monthly_buyer(s.manager, "30000", [2, 3, 4, 5])
    plan = plan_of(s)
    assert [line.plan_amount for line in plan.lines.all()] == [D("30000.00")]
    today = date(2026, 6, 10)  # a Wednesday
    ActivityFactory(
        client=regular, owner=s.manager, direction=Activity.Direction.OUTGOING, done_at=at(date(2026, 6, 9))
    )
    return regular, today


@effect("regular_calls_per_week")
def _regular_calls_per_week(s: Scenario) -> None:
    regular, today = worked_plan(s)

    work = plan_work(user=s.manager, manager=s.manager, today=today)
    assert [(r.client, r.calls, r.calls_left) for r in work.regular] == [(regular, 1, 1)]
    assert (work.calls_done, work.calls_needed) == (1, 2)

    s.change(3)

    work = plan_work(user=s.manager, manager=s.manager, today=today)
    assert [(r.client, r.calls, r.calls_left) for r in work.regular] == [(regular, 1, 2)]
    assert (work.calls_done, work.calls_needed) == (1, 3)


@effect("weeks_per_month")
def _weeks_per_month(s: Scenario) -> None:
    regular, today = worked_plan(s)

    work = plan_work(user=s.manager, manager=s.manager, today=today)
    assert [(r.client, r.weekly_target) for r in work.regular] == [(regular, D("7500.00"))]  # 30 000 / 4

    s.change(5)

    work = plan_work(user=s.manager, manager=s.manager, today=today)
    assert [(r.client, r.weekly_target) for r in work.regular] == [(regular, D("6000.00"))]  # 30 000 / 5


@effect("team_leads_set_plans")
def _team_leads_set_plans(s: Scenario) -> None:
    lead = s.team_lead
    with pytest.raises(PermissionDenied):
        plan_generate(manager=s.manager, month=JUNE, target=T, by=lead)
    assert not Plan.objects.exists()

    s.change(True)

    plan = plan_generate(manager=s.manager, month=JUNE, target=T, by=lead)
    assert (plan.manager, plan.created_by, plan.target, plan.status) == (s.manager, lead, T, Plan.Status.DRAFT)


# --- section 5: pay ----------------------------------------------------------------------------------------------


@effect("kpis_min")
def _kpis_min(s: Scenario) -> None:
    assert save_scheme(s.head, kpis=0).kpis.count() == 0  # 0 to 5 KPIs

    s.change(1)

    assert error_keys(lambda: save_scheme(s.head, kpis=0)) == {"kpis"}
    assert save_scheme(s.head, kpis=1).kpis.count() == 1


@effect("kpis_max")
def _kpis_max(s: Scenario) -> None:
    assert error_keys(lambda: save_scheme(s.head, kpis=6)) == {"kpis"}  # at most 5

    s.change(6)

    scheme = save_scheme(s.head, kpis=6)
    assert sorted(scheme.kpis.values_list("weight", flat=True)) == [16, 16, 16, 16, 16, 20]


@effect("thresholds_max")
def _thresholds_max(s: Scenario) -> None:
    assert error_keys(lambda: save_scheme(s.head, thresholds=6)) == {"thresholds"}  # at most 5

    s.change(6)

    scheme = save_scheme(s.head, thresholds=6)
    assert list(scheme.thresholds.order_by("fulfilment_percent").values_list("fulfilment_percent", flat=True)) == [
        50,
        60,
        70,
        80,
        90,
        100,
    ]


# --- section 7: pipeline control ---------------------------------------------------------------------------------


@effect("small_pipeline_share")
def _small_pipeline_share(s: Scenario) -> None:
    # Weighted: 30 000 and 9 000, the average 19 500.
    for seller, amount in ((s.manager, "100000"), (s.other_manager, "30000")):
        DealFactory(
            client=ClientFactory(owner=seller), owner=seller, stage=Stage.PROPOSAL, amount=D(amount), probability=30
        )

    def too_small() -> dict[Any, tuple[Decimal, bool]]:
        s.client.force_login(s.head)
        review = s.client.get(reverse("pipeline_review")).context["review"]
        return {p.manager: (p.open_weighted, p.too_small) for p in review.managers}

    # 9 000 < 0.5 x 19 500 = 9 750: too small.
    assert too_small() == {s.manager: (D("30000.00"), False), s.other_manager: (D("9000.00"), True)}

    s.change(D("0.40"))

    # 9 000 >= 0.4 x 19 500 = 7 800.
    assert too_small() == {s.manager: (D("30000.00"), False), s.other_manager: (D("9000.00"), False)}


# --- the tests ---------------------------------------------------------------------------------------------------


def test_every_setting_on_the_page_has_an_effect_test():
    assert set(EFFECTS) == set(SETTINGS_FIELDS)


@pytest.mark.parametrize("name", SETTINGS_FIELDS)
def test_the_next_computation_uses_the_setting_the_head_changed_on_the_page(name, request):
    scenario = Scenario(name, request)

    EFFECTS[name](scenario)

    assert scenario.changed  # the case changed its own setting through the page


def test_an_approved_plan_keeps_its_window_and_cover_when_the_head_changes_the_plan_numbers(client, head, manager):
    monthly_buyer(manager, "80000", [1])  # outside the 4-month window, inside a 5-month one
    monthly_buyer(manager, "30000", [2, 3, 4, 5])  # regular: 30 000 a month
    approved = plan_approve(plan=plan_generate(manager=manager, month=JUNE, target=T, by=head), by=head)
    frozen = {
        name: getattr(approved, name) for name in ("window_start", "window_end", "window_total", "cross_sell_cover")
    }
    assert frozen == {
        "window_start": date(2026, 2, 1),
        "window_end": date(2026, 5, 31),
        "window_total": D("120000.00"),
        "cross_sell_cover": D("175000.00"),  # R = 30 000, O = 0, G = 70 000, E = 35 000, 5 x E
    }

    post_settings(client, head, plan_window_months=5, cross_sell_cover=4)

    approved.refresh_from_db()
    assert approved.status == Plan.Status.APPROVED
    assert {name: getattr(approved, name) for name in frozen} == frozen
    explained = plan_explained(approved)
    assert explained["window_months_count"] == 4
    assert explained["months"] == [date(2026, m, 1) for m in (2, 3, 4, 5)]
    assert explained["cover_factor"] == D("5")
    assert plan_work(user=manager, manager=manager, today=date(2026, 6, 10)).plan == approved
    # The next plan of the month reads the new numbers; the approved one stays approved next to it.
    draft = plan_generate(manager=manager, month=JUNE, target=T, by=head)
    assert (draft.version, draft.status, draft.window_start, draft.window_total) == (
        2,
        Plan.Status.DRAFT,
        date(2026, 1, 1),
        D("200000.00"),
    )
    # R = 120 000 / 5 = 24 000; A = 40 000; O = 0.2 x 16 000 = 3 200; G = 72 800; E = 36 400; cover 4 x E.
    assert (draft.regular_total, draft.one_off, draft.active_existing, draft.cross_sell_cover) == (
        D("24000.00"),
        D("3200.00"),
        D("36400.00"),
        D("145600.00"),
    )
    approved.refresh_from_db()
    assert approved.status == Plan.Status.APPROVED
