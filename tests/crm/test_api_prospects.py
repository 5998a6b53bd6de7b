"""/api/v1/prospect-lists/ and /api/v1/prospect-entries/: visibility, writes through the services, 400s, queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from crm.models import Client, OwnershipChange, ProspectEntry, ProspectList
from crm.models.validators import normalize_name
from crm.services.prospects import CLAIM_REASON, prospect_entry_add, prospect_list_create
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, make_inn

LISTS = "/api/v1/prospect-lists/"


def base_client(**kwargs):
    kwargs["normalized_name"] = normalize_name(kwargs["name"])
    return ClientFactory(**kwargs)


@pytest.fixture
def plist(manager):
    return prospect_list_create(by=manager, name="Июнь")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_role_lists_exactly_the_prospect_lists_it_may_see(
    plist, manager, teammate, team_lead, other_manager, base_manager, head, service_owner, vip_head
):
    theirs = prospect_list_create(by=other_manager, name="Чужой")
    teammates = prospect_list_create(by=teammate, name="Коллеги")

    assert ids(api_as(manager).get(LISTS)) == {plist.pk}
    assert ids(api_as(other_manager).get(LISTS)) == {theirs.pk}
    assert ids(api_as(team_lead).get(LISTS)) == {plist.pk, teammates.pk}
    assert ids(api_as(base_manager).get(LISTS)) == ids(api_as(head).get(LISTS)) == {plist.pk, theirs.pk, teammates.pk}
    assert ids(api_as(service_owner).get(LISTS)) == ids(api_as(vip_head).get(LISTS)) == set()


def test_another_managers_list_answers_404_and_nothing_changes(plist, manager, other_manager):
    entry = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Свободная", "inn": make_inn(1)})
    api = api_as(other_manager)

    answers = [
        api.get(f"{LISTS}{plist.pk}/").status_code,
        api.patch(f"{LISTS}{plist.pk}/", {"name": "Моё"}, format="json").status_code,
        api.get(f"{LISTS}{plist.pk}/entries/").status_code,
        api.post(f"{LISTS}{plist.pk}/entries/", {"name": "Чужая"}, format="json").status_code,
        api.post(f"{LISTS}{plist.pk}/check/").status_code,
        api.post(f"{LISTS}{plist.pk}/add-warm/").status_code,
        api.post(f"/api/v1/prospect-entries/{entry.pk}/claim/").status_code,
        api.get(f"/api/v1/prospect-entries/{entry.pk}/").status_code,
    ]

    plist.refresh_from_db()
    assert answers == [404] * len(answers)
    assert plist.name == "Июнь"
    assert list(plist.entries.values_list("name", flat=True)) == ["Свободная"]
    assert not Client.objects.filter(inn=make_inn(1)).exists()


def test_the_service_owner_cannot_create_a_list(service_owner, manager):
    response = api_as(service_owner).post(LISTS, {"name": "Сервис", "owner": manager.pk}, format="json")

    assert response.status_code == 403
    assert not ProspectList.objects.exists()


def test_a_manager_creates_his_own_list_and_the_base_manager_one_for_a_manager(manager, base_manager):
    own = api_as(manager).post(LISTS, {"name": "Мой"}, format="json")
    prepared = api_as(base_manager).post(LISTS, {"name": "Для Иванова", "owner": manager.pk}, format="json")

    assert own.status_code == prepared.status_code == 201
    assert own.json()["owner"] == prepared.json()["owner"] == manager.pk
    assert prepared.json()["target"] == 100
    assert prepared.json()["missing"] == 100


def test_bad_input_answers_400_with_field_errors(plist, manager, base_manager, head):
    no_owner = api_as(base_manager).post(LISTS, {"name": "Ничей"}, format="json")
    owner_is_head = api_as(base_manager).post(LISTS, {"name": "РОПу", "owner": head.pk}, format="json")
    bad_entry = api_as(manager).post(
        f"{LISTS}{plist.pk}/entries/", {"name": "", "inn": "123", "phone": "x", "email": "y"}, format="json"
    )
    service_entry = api_as(manager).post(
        f"{LISTS}{plist.pk}/entries/", {"name": "Ок", "inn": "1234567890", "phone": "x", "email": "y"}, format="json"
    )

    assert no_owner.status_code == owner_is_head.status_code == 400
    assert "owner" in field_errors(no_owner) and "owner" in field_errors(owner_is_head)
    assert bad_entry.status_code == 400 and "name" in field_errors(bad_entry)
    assert service_entry.status_code == 400
    assert {"inn", "phone", "email"} <= set(field_errors(service_entry))
    assert not plist.entries.exists()


def test_entries_are_added_checked_and_listed_with_who_works_the_struck_ones(plist, manager, other_manager):
    base_client(name="Чужая", inn=make_inn(2), owner=other_manager)
    api = api_as(manager)

    added = api.post(f"{LISTS}{plist.pk}/entries/", {"name": "ООО Чужая", "inn": make_inn(2)}, format="json")
    api.post(f"{LISTS}{plist.pk}/entries/", {"name": "Свободная", "phone": "8 495 000 00 01"}, format="json")
    listed = api.get(f"{LISTS}{plist.pk}/entries/")
    taken_only = api.get(f"{LISTS}{plist.pk}/entries/", {"check_result": "taken"})

    assert added.status_code == 201
    assert (added.json()["check_result"], added.json()["worked_by"]) == ("taken", other_manager.pk)
    assert added.json()["worked_by_name"] == str(other_manager)
    assert [row["name"] for row in listed.json()["results"]] == ["ООО Чужая", "Свободная"]
    assert [row["name"] for row in taken_only.json()["results"]] == ["ООО Чужая"]


def test_check_again_follows_the_base(plist, manager, other_manager):
    client = base_client(name="Ничья", inn=make_inn(3), owner=None, owned_since=None)
    entry = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Ничья", "inn": make_inn(3)})
    Client.objects.filter(pk=client.pk).update(owner=other_manager)

    response = api_as(manager).post(f"{LISTS}{plist.pk}/check/")

    entry.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["taken_count"] == 1
    assert (entry.check_result, entry.worked_by) == ("taken", other_manager)


def test_add_warm_puts_the_never_bought_clients_on_the_list(plist, manager):
    base_client(name="Не покупал", owner=manager)

    response = api_as(manager).post(f"{LISTS}{plist.pk}/add-warm/")

    assert response.status_code == 200
    assert response.json()["added"] == 1
    assert response.json()["entries_count"] == 1


def test_a_file_is_imported_through_the_api_and_bad_rows_answer_400(plist, manager):
    content = f"Наименование;ИНН\nООО Альфа;{make_inn(4)}\nООО Бета;123\n".encode()
    api = api_as(manager)

    strict = api.post(f"{LISTS}{plist.pk}/import/", {"file": SimpleUploadedFile("a.csv", content)}, format="multipart")
    lenient = api.post(
        f"{LISTS}{plist.pk}/import/",
        {"file": SimpleUploadedFile("a.csv", content), "strict": "false"},
        format="multipart",
    )

    assert strict.status_code == 400
    assert strict.json()["errors"][0]["row"] == 3
    assert lenient.status_code == 200
    assert lenient.json()["added"] == 1
    assert list(plist.entries.values_list("name", flat=True)) == ["ООО Альфа"]


def test_claim_through_the_api_gives_the_unowned_client_to_the_manager(plist, manager):
    client = base_client(name="Ничья", inn=make_inn(5), owner=None, owned_since=None)
    entry = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Ничья", "inn": make_inn(5)})

    response = api_as(manager).post(f"/api/v1/prospect-entries/{entry.pk}/claim/")
    again = api_as(manager).post(f"/api/v1/prospect-entries/{entry.pk}/claim/")

    client.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["owner"] == manager.pk
    assert client.owner == manager
    assert OwnershipChange.objects.get(client=client).reason == gettext(CLAIM_REASON)
    assert again.status_code == 400 and "entry" in field_errors(again)


def test_the_base_manager_sees_a_list_but_cannot_claim_for_the_manager(plist, manager, base_manager):
    entry = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "Свободная"})

    response = api_as(base_manager).post(f"/api/v1/prospect-entries/{entry.pk}/claim/")

    assert response.status_code == 403
    assert ProspectEntry.objects.get(pk=entry.pk).check_result == "free"


def test_updated_since_returns_only_lists_changed_since(plist, manager):
    old = prospect_list_create(by=manager, name="Старый")
    ProspectList.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    assert ids(api_as(manager).get(LISTS, {"updated_since": since})) == {plist.pk}
    assert api_as(manager).get(LISTS, {"updated_since": "вчера"}).status_code == 400


def test_the_api_list_takes_the_same_queries_for_3_and_30_lists(manager, other_manager):
    api = api_as(manager)
    api.get(LISTS)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(LISTS).status_code == 200
        return len(queries)

    for n in range(3):
        ProspectEntry.objects.create(
            prospect_list=ProspectList.objects.create(owner=manager, name=str(n)), name="Х", normalized_name="х"
        )
    few = count()
    for n in range(27):
        ProspectEntry.objects.create(
            prospect_list=ProspectList.objects.create(owner=manager, name=f"m{n}"), name="Х", normalized_name="х"
        )
    assert count() == few


def test_the_api_entries_take_the_same_queries_for_3_and_30_entries(plist, manager, other_manager):
    api = api_as(manager)
    api.get(f"{LISTS}{plist.pk}/entries/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"{LISTS}{plist.pk}/entries/").status_code == 200
        return len(queries)

    def add(n):
        base_client(name=f"Занятая {n}", inn=make_inn(n), owner=other_manager)
        prospect_entry_add(prospect_list=plist, by=manager, data={"name": f"Занятая {n}", "inn": make_inn(n)})

    for n in range(10, 13):
        add(n)
    few = count()
    for n in range(20, 47):
        add(n)
    assert count() == few
