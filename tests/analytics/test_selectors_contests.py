"""Each metric's achieved value over the database, the board and its quotas, who sees which contest, the headline
(analytics/selectors/contests.py), with numbers worked by hand."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from analytics.selectors.contests import achieved_values, contest_headline, contests_visible, leaderboard
from analytics.selectors.headlines import headlines_for
from tests.analytics.contest_helpers import NOV_1, NOV_30, completed, make_contest, sold
from tests.crm.factories import ClientFactory, UserFactory
from tests.planning.factories import make_plan
from vip.models import Questionnaire
from vip.services.templates import template_standard_create

pytestmark = pytest.mark.django_db
IDS = lambda *people: [p.pk for p in people]  # noqa: E731


def test_paid_sales_count_paid_lines_by_the_day_paid_for_the_line_manager(manager, other_manager):
    sold(manager, "100000", date(2026, 11, 1))
    sold(manager, "50000", date(2026, 11, 30))
    sold(manager, "7000", date(2026, 10, 31))  # before the period
    sold(manager, "9000", date(2026, 12, 1))  # after it
    sold(manager, "20000", date(2026, 11, 10), paid=False)  # not paid
    sold(other_manager, "1000", date(2026, 11, 10), client=ClientFactory(owner=manager))  # sold by the other
    assert achieved_values(metric="paid_sales", users=IDS(manager, other_manager), start=NOV_1, end=NOV_30) == {
        manager.pk: D("150000"),
        other_manager.pk: D("1000"),
    }


def test_new_clients_are_first_purchases_in_the_period_of_the_clients_owned(manager, other_manager):
    new1 = ClientFactory(owner=manager)
    sold(manager, "100", date(2026, 11, 5), client=new1)
    sold(manager, "100", date(2026, 11, 20), client=new1)  # the same client once
    sold(other_manager, "100", date(2026, 11, 6), client=ClientFactory(owner=manager))  # owned by manager: counts
    old = ClientFactory(owner=manager)
    sold(manager, "100", date(2026, 10, 1), client=old)
    sold(manager, "100", date(2026, 11, 7), client=old)  # bought before: not new
    sold(manager, "100", date(2026, 12, 2), client=ClientFactory(owner=manager))  # first purchase after the period
    ClientFactory(owner=manager)  # never bought
    sold(other_manager, "100", date(2026, 11, 9))
    assert achieved_values(metric="new_clients", users=IDS(manager, other_manager), start=NOV_1, end=NOV_30) == {
        manager.pk: D("2"),
        other_manager.pk: D("1"),
    }


def test_questionnaires_are_the_complete_ones_completed_in_the_period(manager, other_manager, vip_head):
    template = template_standard_create(by=vip_head)
    completed(manager, template, date(2026, 11, 3))
    completed(manager, template, date(2026, 11, 30))
    completed(manager, template, date(2026, 12, 1))
    completed(manager, template, date(2026, 11, 4), status=Questionnaire.Status.DRAFT)
    completed(other_manager, template, date(2026, 11, 4))
    assert achieved_values(metric="questionnaires", users=IDS(manager, other_manager), start=NOV_1, end=NOV_30) == {
        manager.pk: D("2"),
        other_manager.pk: D("1"),
    }


def test_a_plan_contest_reads_each_ones_plan_and_ranks_by_its_percent(head, manager, other_manager, teammate):
    make_plan(manager, "200000")  # November, approved
    make_plan(other_manager, "50000")
    # teammate has no plan: no quota, last
    sold(manager, "150000", date(2026, 11, 10))  # 75 %
    sold(other_manager, "80000", date(2026, 11, 10))  # 160 %
    sold(teammate, "900000", date(2026, 11, 10))
    contest = make_contest(head, [manager, other_manager, teammate], metric="plan")
    board = leaderboard(contest=contest, as_of=date(2026, 12, 1), viewer=manager)
    assert [(r.position, r.user, r.achieved, r.quota, r.percent, r.quota_from_plan, r.is_me) for r in board.rows] == [
        (1, other_manager, D("80000"), D("50000.00"), D("160.00"), True, False),
        (2, manager, D("150000"), D("200000.00"), D("75.00"), True, True),
        (3, teammate, D("900000"), None, None, True, False),
    ]
    assert board.status == "finished" and board.counted_to == NOV_30


def test_a_typed_quota_overrides_the_plan_and_a_running_board_counts_to_today(head, manager, other_manager):
    make_plan(manager, "200000")
    sold(manager, "40000", date(2026, 11, 10))
    sold(manager, "60000", date(2026, 11, 20))  # after as_of
    sold(other_manager, "10000", date(2026, 11, 1))
    contest = make_contest(head, [manager, other_manager], metric="plan", quotas={manager.pk: "80000"})
    board = leaderboard(contest=contest, as_of=date(2026, 11, 15))
    assert board.status == "running" and board.counted_to == date(2026, 11, 15)
    assert [(r.user, r.achieved, r.quota, r.percent) for r in board.rows] == [
        (manager, D("40000"), D("80000.00"), D("50.00")),
        (other_manager, D("10000"), None, None),
    ]


def test_the_board_takes_four_queries_whatever_the_participants(head, django_assert_max_num_queries):
    for size in (2, 8):
        people = [UserFactory(role="manager") for _ in range(size)]
        for person in people:
            make_plan(person, "100000")
            sold(person, "1000", date(2026, 11, 3))
        contest = make_contest(head, people, metric="plan")
        with django_assert_max_num_queries(3):
            board = leaderboard(contest=contest, as_of=date(2026, 12, 1))
        assert board.sample == size


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("head", {"ours", "theirs"}),
        ("admin_user", {"ours", "theirs"}),
        ("team_lead", {"ours"}),  # his team's manager takes part
        ("manager", {"ours"}),
        ("teammate", set()),  # not a participant
        ("other_manager", {"theirs"}),
        ("vip_head", set()),
        ("service_owner", set()),
        ("base_manager", set()),
    ],
)
def test_who_sees_which_contest(request, head, manager, teammate, team_lead, other_manager, who, sees):
    third = UserFactory(role="manager")
    make_contest(head, [manager, third], name="ours")
    make_contest(head, [other_manager, third], name="theirs")
    user = request.getfixturevalue(who)
    assert {c.name for c in contests_visible(user)} == sees


def test_only_the_head_makes_a_contest_and_the_rules_hold(head, manager, other_manager, vip_head):
    with pytest.raises(PermissionDenied):
        make_contest(manager, [manager, other_manager])
    cases = [
        ({"people": [manager]}, "participants"),
        ({"people": [manager, vip_head]}, "participants"),
        ({"start": NOV_30, "end": NOV_1}, "end"),
    ]
    for change, field in cases:
        kwargs = {"people": [manager, other_manager], **change}
        with pytest.raises(ValidationError) as error:
            make_contest(head, kwargs.pop("people"), **kwargs)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # new clients need a quota for everyone
        make_contest(head, [manager, other_manager], metric="new_clients", quotas={manager.pk: "3"}, default=None)
    assert "quotas" in error.value.message_dict


def test_the_headline_names_the_leader_and_the_users_position(head, manager, other_manager, team_lead):
    sold(manager, "10000", date(2026, 11, 3))
    sold(other_manager, "30000", date(2026, 11, 3))
    make_contest(head, [manager, other_manager], quotas={manager.pk: "10000", other_manager.pk: "60000"})
    mine = contest_headline(manager, date(2026, 11, 15))
    assert mine is not None
    assert (mine.key, mine.value, mine.tone) == ("contest", f"{manager}, 100 %", "good")
    assert mine.detail == "Ноябрь, участников: 2; вы на 1-м месте"
    theirs = contest_headline(other_manager, date(2026, 11, 15))
    assert theirs is not None and theirs.detail.endswith("вы на 2-м месте")
    head_line = contest_headline(head, date(2026, 11, 15))
    assert head_line is not None and head_line.detail == "Ноябрь, участников: 2"
    assert contest_headline(head, date(2026, 12, 1)) is None  # over: nothing running
    assert [h.key for h in headlines_for(manager, date(2026, 11, 15))].count("contest") == 1
