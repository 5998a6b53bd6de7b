"""The new-client page (/clients/new/) and the INN lookup as it is typed: owners by role, duplicates named."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.names import genitive
from crm.models import ChangeLog, Client, OwnershipChange
from tests.crm.factories import KNOWN_GOOD_INNS, ClientFactory, SegmentFactory, UserFactory

INN = KNOWN_GOOD_INNS[0]


def body(**changes):
    data = {"name": "ООО «Ромашка»", "inn": INN, "kpp": "", "phone": "8 (495) 581-02-83", "email": "info@romashka.ru"}
    data.update(changes)
    return data


def test_a_manager_creates_a_client_that_is_his_with_the_phone_stored_in_e164(client, manager):
    segment = SegmentFactory(name="Стройка")
    client.force_login(manager)

    response = client.post(reverse("client_create"), body(segment=segment.pk, source="cold", address="Москва"))

    created = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[created.pk])
    assert (created.owner, created.phone, created.segment, created.source) == (manager, "+74955810283", segment, "cold")
    assert created.owned_since is not None
    assert OwnershipChange.objects.filter(client=created, to_owner=manager).exists()
    assert ChangeLog.objects.filter(object_id=created.pk, action=ChangeLog.Action.CREATE, by=manager).exists()


def test_the_form_offers_every_field_a_manager_may_set_and_no_owner_choice(client, manager):
    client.force_login(manager)

    response = client.get(reverse("client_create"))

    form = response.context["form"]
    assert response.status_code == 200
    assert "owner" not in form.fields and "category" not in form.fields and "status" not in form.fields
    assert {"name", "inn", "kpp", "phone", "phone_extra", "email", "address", "region", "segment"} <= set(form.fields)
    assert 'hx-get="/clients/inn-check/"' in response.content.decode()


def test_a_manager_who_posts_another_owner_still_creates_the_client_for_himself(client, manager, other_manager):
    client.force_login(manager)

    client.post(reverse("client_create"), body(owner=other_manager.pk))

    assert Client.objects.get().owner == manager


def test_a_team_lead_gives_the_client_to_a_teammate_but_not_to_another_team(client, team_lead, teammate, other_manager):
    client.force_login(team_lead)
    choices = set(client.get(reverse("client_create")).context["form"].fields["owner"].queryset)

    refused = client.post(reverse("client_create"), body(owner=other_manager.pk))
    given = client.post(reverse("client_create"), body(owner=teammate.pk))

    assert teammate in choices and team_lead in choices and other_manager not in choices
    assert refused.status_code == 400 and "owner" in refused.context["form"].errors
    assert given.status_code == 302
    assert Client.objects.get().owner == teammate


def test_the_head_chooses_any_seller_or_leaves_the_client_in_the_free_base(client, head, other_manager):
    client.force_login(head)

    client.post(reverse("client_create"), body(owner=other_manager.pk))
    client.post(reverse("client_create"), body(name="Свободный", inn=KNOWN_GOOD_INNS[1], owner=""))

    assert dict(Client.objects.values_list("name", "owner")) == {"ООО «Ромашка»": other_manager.pk, "Свободный": None}


def test_the_base_manager_adds_free_clients_and_the_vip_head_and_service_owner_may_not(
    client, base_manager, vip_head, service_owner
):
    client.force_login(base_manager)
    added = client.post(reverse("client_create"), body())
    statuses = []
    for user in (vip_head, service_owner):
        client.force_login(user)
        statuses.append(client.get(reverse("client_create")).status_code)
        statuses.append(client.post(reverse("client_create"), body(inn=KNOWN_GOOD_INNS[2])).status_code)

    assert added.status_code == 302 and Client.objects.get().owner is None
    assert statuses == [403, 403, 403, 403]
    assert Client.objects.count() == 1


def test_a_duplicate_inn_on_save_names_the_manager_whose_client_it_is_and_keeps_the_form(
    client, manager, other_manager
):
    ClientFactory(owner=other_manager, inn=INN, kpp="", name="Ромашка-старая")
    client.force_login(manager)

    response = client.post(reverse("client_create"), body(name="Моя Ромашка"))

    errors = response.context["form"].errors["inn"]
    assert response.status_code == 400
    with translation.override("ru"):
        assert genitive(other_manager) in errors[0] and "Ромашка-старая" in errors[0]  # «уже клиент у Ивана Петрова»
    assert "client_unique_inn_kpp" not in response.content.decode()
    assert response.context["form"]["name"].value() == "Моя Ромашка"
    assert Client.objects.count() == 1


def test_a_duplicate_inn_of_nobody_sends_the_manager_to_the_prospect_list(client, manager):
    ClientFactory(owner=None, inn=INN, kpp="")
    client.force_login(manager)

    response = client.post(reverse("client_create"), body())

    assert response.status_code == 400
    assert "owner" not in response.context["form"].errors
    message = response.context["form"].errors["inn"][0]
    assert "потенциальных" in message or "prospect" in message


def test_the_same_inn_with_another_kpp_is_a_branch_and_is_created(client, manager, other_manager):
    ClientFactory(owner=other_manager, inn=INN, kpp="770101001")
    client.force_login(manager)

    response = client.post(reverse("client_create"), body(kpp="770201001"))

    assert response.status_code == 302
    assert Client.objects.filter(inn=INN).count() == 2


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": ""}, {"name"}),
        ({"inn": "1234"}, {"inn"}),
        ({"phone": "не телефон"}, {"phone"}),
        ({"email": "почта"}, {"email"}),
        ({"segment": "999999"}, {"segment"}),
        ({"segment": "²"}, {"segment"}),
        ({"kpp": "x" * 40}, {"kpp"}),
    ],
)
def test_bad_input_is_a_400_with_the_field_named_and_what_was_typed_kept(client, manager, changes, fields):
    client.force_login(manager)

    response = client.post(reverse("client_create"), body(**changes))

    form = response.context["form"]
    assert response.status_code == 400
    assert fields <= set(form.errors)
    assert form["email"].value() == body(**changes)["email"]
    assert Client.objects.count() == 0


# --- the lookup as the INN is typed ---------------------------------------------------------------------------------


def check(browser, **params):
    response = browser.get(reverse("client_inn_check"), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response


def test_the_lookup_names_the_manager_of_a_taken_inn_and_links_a_card_only_when_visible(
    client, manager, other_manager, head
):
    taken = ClientFactory(owner=other_manager, inn=INN, kpp="")
    client.force_login(manager)
    seen_by_manager = check(client, inn=INN)
    client.force_login(head)
    seen_by_head = check(client, inn=INN)

    with translation.override("ru"):
        assert genitive(other_manager) in seen_by_manager.context["duplicate"][0]
    assert seen_by_manager.context["card"] is None
    assert b'data-testid="inn-taken"' in seen_by_manager.content
    assert seen_by_head.context["card"] == taken.pk


def test_the_lookup_says_free_for_a_new_inn_and_waits_while_it_is_typed(client, manager):
    client.force_login(manager)

    free = check(client, inn=KNOWN_GOOD_INNS[4])
    typing = check(client, inn="77070")
    bad = check(client, inn="7707083890")
    bad_kpp = check(client, inn=KNOWN_GOOD_INNS[4], kpp="12")

    assert free.context["checked"] and b'data-testid="inn-free"' in free.content
    assert not typing.context["checked"] and not typing.context["problems"] and not typing.content.strip()
    assert bad.context["problems"] and not bad.context["checked"]
    assert bad_kpp.context["problems"]


def test_the_lookup_of_the_edit_page_leaves_the_client_itself_out(client, manager):
    own = ClientFactory(owner=manager, inn=INN, kpp="")
    client.force_login(manager)

    itself = check(client, inn=INN, client=str(own.pk))
    garbage = check(client, inn=INN, client="1e400")

    assert itself.context["checked"] and not itself.context["duplicate"]
    assert garbage.context["duplicate"]


def test_the_lookup_is_closed_to_roles_that_add_no_clients(client, vip_head, service_owner):
    for user in (vip_head, service_owner):
        client.force_login(user)
        assert client.get(reverse("client_inn_check"), {"inn": INN}).status_code == 403


def test_the_new_client_page_and_the_lookup_take_few_queries(client, head, django_assert_max_num_queries):
    for n in range(5):
        UserFactory(username=f"seller{n}")
    ClientFactory(inn=INN, kpp="")
    client.force_login(head)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("client_create"))
    with django_assert_max_num_queries(6):
        lookup = client.get(reverse("client_inn_check"), {"inn": INN})

    assert page.status_code == lookup.status_code == 200


def test_the_clients_list_offers_new_client_to_those_who_add_clients(client, manager, vip_head):
    client.force_login(manager)
    shown = client.get(reverse("client_list")).content.decode()
    client.force_login(vip_head)
    hidden = client.get(reverse("client_list")).content.decode()

    assert 'data-testid="client-new"' in shown and 'data-testid="client-new"' not in hidden
