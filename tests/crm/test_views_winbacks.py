"""The head's win-back tab and a manager taking a win-back from his long list (issue 9 rule 3), as pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import Client, LongListEntry
from crm.nightly import client_statuses_refresh
from crm.services.hunting import long_lists_draft_for
from crm.templatetags.crm_format import money
from tests.crm.factories import ClientFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)


def freed(owner, name="Бывший", amount="300000"):
    client = ClientFactory(owner=owner, owned_since=date(2025, 1, 10), name=name, status=Client.Status.ACTIVE)
    SaleLineFactory(client=client, date=date(2026, 6, 20), amount=Decimal(amount))
    client_statuses_refresh(AS_OF)
    return client


def test_the_head_sees_the_win_backs_with_their_figures_and_gives_one(client, head, manager, other_manager):
    lost = freed(manager)
    client.force_login(head)

    page = client.get(reverse("win_backs"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "20.06.2026" in html and money(Decimal("300000")) in html and str(manager) in html
    response = client.post(
        reverse("win_backs"),
        {"client": lost.pk, f"w{lost.pk}-owner": other_manager.pk, f"w{lost.pk}-reason": "Вернуть"},
    )
    assert response.status_code == 302
    assert Client.objects.get(pk=lost.pk).owner_id == other_manager.pk


def test_the_manager_who_lost_it_is_not_offered_and_a_forged_choice_keeps_the_form(client, head, manager):
    lost = freed(manager)
    client.force_login(head)

    response = client.post(
        reverse("win_backs"), {"client": lost.pk, f"w{lost.pk}-owner": manager.pk, f"w{lost.pk}-reason": "Вернуть"}
    )

    assert response.status_code == 400
    assert 'value="Вернуть"' in response.content.decode()
    assert Client.objects.get(pk=lost.pk).owner_id is None


@pytest.mark.parametrize("bad", ["", "abc", "999999", "-1"])
def test_a_bad_client_answers_404_not_500(client, head, bad):
    client.force_login(head)
    assert client.post(reverse("win_backs"), {"client": bad}).status_code == 404


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_only_the_head_opens_the_win_back_tab(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("win_backs")).status_code == 403


def test_the_tab_reads_a_constant_number_of_queries(client, head, manager, django_assert_max_num_queries):
    client.force_login(head)
    freed(manager, "A")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("win_backs")).status_code == 200
    for i in range(8):
        freed(manager, f"B{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("win_backs")).status_code == 200


def test_a_manager_takes_the_win_back_from_his_long_list_page(client, manager, other_manager):
    lost = freed(other_manager)
    long_lists_draft_for(month=AS_OF)
    entry = LongListEntry.objects.get(long_list__owner=manager)
    client.force_login(manager)
    page = client.get(reverse("long_list"), {"month": "2026-12"})
    assert 'data-testid="win-back-take"' in page.content.decode()

    response = client.post(reverse("win_back_take", args=[entry.pk]))

    assert response.status_code == 302
    assert Client.objects.get(pk=lost.pk).owner_id == manager.pk


def test_another_manager_cannot_take_from_a_list_that_is_not_his(client, manager, other_manager):
    freed(other_manager)
    long_lists_draft_for(month=AS_OF)
    entry = LongListEntry.objects.get(long_list__owner=manager)
    client.force_login(other_manager)
    assert client.post(reverse("win_back_take", args=[entry.pk])).status_code == 404
