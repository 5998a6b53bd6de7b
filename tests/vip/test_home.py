"""The programme's cards on the homes: the service owner's home leads to the problem register with its figures, the
VIP head's to the register and his questionnaires; a manager gets neither (his home is My day)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.crm.factories import ClientFactory
from tests.crm.test_views_home_links import home_cards
from vip.services.problems import problem_open, problem_take

pytestmark = pytest.mark.django_db


def register(vip_head, manager, service_owner, *, taken: int, waiting: int) -> None:
    for number in range(taken + waiting):
        problem = problem_open(client=ClientFactory(owner=manager), by=vip_head, what=f"Сбой {number}")
        if number < taken:
            problem_take(problem=problem, by=service_owner)


def home_html(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_service_owners_home_leads_to_the_register_with_what_waits_for_service(
    client, vip_head, manager, service_owner
):
    register(vip_head, manager, service_owner, taken=1, waiting=2)

    cards = home_cards(client, service_owner)

    assert cards == {"vip_problems": reverse("vip_problem_list")}
    html = home_html(client, service_owner)
    assert 'data-testid="home-link-vip_problems"' in html
    assert 'data-testid="home-figure-vip_problems">3<' in html and "2 wait for service" in html
    assert client.get(cards["vip_problems"]).status_code == 200
    assert "arrives with the VIP programme" not in html


def test_the_vip_heads_home_leads_to_the_register_and_his_questionnaires(
    client, vip_head, manager, service_owner, questionnaire
):
    register(vip_head, manager, service_owner, taken=0, waiting=1)

    cards = home_cards(client, vip_head)

    assert {"vip_problems", "vip_questionnaires"} <= set(cards)
    for url in (cards["vip_problems"], cards["vip_questionnaires"]):
        assert client.get(url).status_code == 200
    html = home_html(client, vip_head)
    assert 'data-testid="home-link-vip_questionnaires"' in html and "paused on a quality problem" in html


def test_a_manager_gets_no_programme_cards(client, manager):
    assert not {"vip_problems", "vip_questionnaires"} & set(home_cards(client, manager))


def test_the_register_card_takes_the_same_queries_for_one_and_ten_problems(client, vip_head, manager, service_owner):
    client.force_login(service_owner)
    register(vip_head, manager, service_owner, taken=0, waiting=1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    register(vip_head, manager, service_owner, taken=4, waiting=5)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(few.captured_queries) == len(many.captured_queries)
