"""Homes that lead somewhere: the head's, the VIP head's and the base manager's homes are cards, each a page the role
works in with today's figure; every card's link answers 200 for that role, figures come through visible_to, and the
home's queries stay constant in rows."""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from core.calendar import month_shift, month_start
from core.panels import HOME, home_links, panels_for
from crm.models import Client, ImportJob, ProspectEntry, ProspectList, Reassignment, Role, StockRequest
from planning.services.plans import plan_approve, plan_generate
from tests.crm.factories import CategoryFactory, ClientFactory, DealFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="card card-link[^"]*" href="([^"]+)" data-testid="home-link-([a-z_]+)"')


def home_cards(client, user) -> dict[str, str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {key: url for url, key in LINK.findall(response.content.decode())}


def assert_every_link_answers(client, cards):
    assert cards
    for key, url in cards.items():
        resolve(urlsplit(url).path)  # a URL of the site
        assert client.get(url).status_code == 200, (key, url)


def test_the_heads_home_leads_to_every_page_he_uses_daily(client, head, manager):
    cards = home_cards(client, head)
    assert set(cards) >= {
        "pipeline_review",
        "reassignment_queue",
        "plan_fact",
        "plans",
        "stock_requests",
        "imports",
        "win_backs",
        "prospects",
        "clients",
        "search",
    }
    assert_every_link_answers(client, cards)


def test_the_admins_home_links_answer_too(client, admin_user, manager):
    assert_every_link_answers(client, home_cards(client, admin_user))


def test_the_vip_heads_home_links_to_the_clients_he_sees_and_search(client, vip_head, manager):
    ClientFactory(owner=manager, category=Client.Category.VIP)
    ClientFactory(owner=manager, category=Client.Category.A)
    cards = home_cards(client, vip_head)
    assert {"vip_clients", "clients", "search"} <= set(cards)
    vip = client.get(cards["vip_clients"]).content.decode()
    assert vip.count('data-testid="client-row"') == 1  # the card's link lists the VIP clients only
    assert figures(vip_head, timezone.localdate())["vip_clients"][0] == "1"
    assert not {"pipeline_review", "reassignment_queue", "plans", "win_backs", "plan_fact"} & set(cards)
    assert_every_link_answers(client, cards)
    html = client.get(reverse("home")).content.decode()
    assert "issue 12" not in html and "задаче 12" not in html


def test_the_base_managers_home_links_to_imports_prospect_lists_and_the_client_base(client, base_manager, manager):
    cards = home_cards(client, base_manager)
    assert {"imports", "prospects", "clients", "search"} <= set(cards)
    assert not {"pipeline_review", "reassignment_queue", "plans", "win_backs", "plan_fact"} & set(cards)
    assert_every_link_answers(client, cards)


def test_the_service_owners_home_has_no_sales_cards(client, service_owner, manager):
    # Only the VIP programme's problem register (tests/vip/test_home.py), nothing of sales.
    assert set(home_cards(client, service_owner)) == {"vip_problems"}


def department(head, manager, other_manager, today):
    """Figures for the head's cards, and rows the head must not count (none: the head sees everything)."""
    for owner, amount in ((manager, "100000"), (manager, "50000.50"), (other_manager, "25000")):
        DealFactory(client=ClientFactory(owner=owner), owner=owner, amount=Decimal(amount))
    flagged = ClientFactory(owner=manager)
    Reassignment.objects.create(client=flagged, owner=manager, owned_since=date(2026, 1, 1), flagged_on=today)
    Reassignment.objects.create(
        client=ClientFactory(owner=manager),
        owner=manager,
        owned_since=date(2026, 1, 1),
        flagged_on=today,
        status=Reassignment.Status.RESOLVED,
    )
    category = CategoryFactory()
    StockRequest.objects.create(client=flagged, category=category, requested_by=manager, quantity=1)
    StockRequest.objects.create(
        client=flagged,
        category=category,
        requested_by=manager,
        quantity=1,
        status=StockRequest.Status.ORDERED,
        answered_at=timezone.now(),
    )
    ImportJob.objects.create(kind="clients", status=ImportJob.Status.RUNNING, original_name="a.csv", created_by=head)
    ImportJob.objects.create(kind="clients", status=ImportJob.Status.DONE, original_name="b.csv", created_by=head)
    ClientFactory(owner=None, status=Client.Status.LOST)
    prospects = ProspectList.objects.create(owner=manager, name="Холодные", created_by=head)
    ProspectEntry.objects.create(prospect_list=prospects, name="ООО Ромашка", check_result=ProspectEntry.Check.FREE)
    ProspectEntry.objects.create(prospect_list=prospects, name="ООО Лютик", check_result=ProspectEntry.Check.TAKEN)


def figures(user, today):
    return {link.key: (link.figure, link.note) for link in home_links(user=user, today=today)}


@pytest.mark.russian
def test_the_heads_cards_carry_todays_figures(head, manager, other_manager):
    today = timezone.localdate()
    department(head, manager, other_manager, today)
    # Plan/fact of the month: T = 200 000 approved, 50 000 paid so far -> 25 %.
    month = month_start(today)
    plan = plan_generate(manager=manager, month=month, target=Decimal("200000"), by=head)
    plan_approve(plan=plan, by=head, confirm_negative_g=True)
    SaleLineFactory(
        client=ClientFactory(owner=manager),
        manager=manager,
        date=month,
        amount=Decimal("50000"),
        is_paid=True,
        paid_date=month,
    )
    plan_generate(manager=other_manager, month=month_shift(month, 1), target=Decimal("1000"), by=head)  # a draft
    got = figures(head, today)
    assert got["pipeline_review"] == ("3", "активных сделки на 175\xa0000,50\xa0₽")
    assert got["reassignment_queue"][0] == "1"
    assert got["stock_requests"][0] == "1"
    assert got["imports"][0] == "1"
    assert got["win_backs"][0] == "1"
    assert got["prospects"][0] == "1"
    assert got["plans"][0] == "1"
    assert got["plan_fact"][0] == "25 %"
    assert "50\xa0000,00\xa0₽" in got["plan_fact"][1] and "200\xa0000,00\xa0₽" in got["plan_fact"][1]
    assert got["clients"][0] == str(Client.objects.count())


def test_the_base_managers_figures_are_only_what_he_sees(base_manager, head, manager):
    today = timezone.localdate()
    ImportJob.objects.create(kind="clients", status=ImportJob.Status.QUEUED, original_name="a.csv", created_by=head)
    ImportJob.objects.create(
        kind="clients", status=ImportJob.Status.RUNNING, original_name="b.csv", created_by=base_manager
    )
    assert figures(base_manager, today)["imports"][0] == "1"  # his own; the head's import is not his
    assert figures(head, today)["imports"][0] == "2"


def test_the_vip_heads_client_count_is_the_clients_he_sees(vip_head, manager):
    from crm.models import Client as ClientModel

    ClientFactory(owner=manager)
    ClientFactory(owner=manager)
    today = timezone.localdate()
    assert figures(vip_head, today)["clients"][0] == str(ClientModel.objects.visible_to(vip_head).count())


def test_the_homes_read_a_constant_number_of_queries(client, head, base_manager, vip_head, team):
    today = timezone.localdate()

    def grow(n):
        for _i in range(n):
            seller = UserFactory(role=Role.MANAGER, team=team)
            other = UserFactory(role=Role.MANAGER, team=team)
            department(head, seller, other, today - timedelta(days=0))

    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    grow(1)
    before = {user.pk: count(user) for user in (head, base_manager, vip_head)}
    grow(5)
    after = {user.pk: count(user) for user in (head, base_manager, vip_head)}
    assert before == after


def test_the_cards_alone_take_one_query_each_at_most_for_the_head(head, manager, other_manager):
    today = timezone.localdate()
    department(head, manager, other_manager, today)
    with CaptureQueriesContext(connection) as queries:
        links = home_links(user=head, today=today)
    # One aggregate per CRM card, plan/fact a fixed handful (settings, sellers, plans, paid lines, calendar).
    assert len(queries) <= len(links) + 6
    assert [panel.name for panel in panels_for(HOME, user=head, today=today)][:2] == [
        "pipeline_review",
        "reassignment_queue",
    ]
