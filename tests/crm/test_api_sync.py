"""Mobile sync (docs/api.md, "Sync"): keyset pages, sync tokens and the changes feed of tombstones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Activity, Client, Deal, Tombstone
from crm.services.clients import client_delete, client_reassign
from crm.services.deals import deal_delete
from crm.sync import token_issue, tombstones_purge
from tests.api_errors import error_codes, field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory, UserFactory

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
CHANGES = "/api/v1/sync/changes/"


def pages(api, url, params):
    """Follow `next` to the end: every row's id, the sync token of the last page, the number of requests."""
    ids, requests, token = [], 0, None
    response = api.get(url, params)
    while True:
        requests += 1
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        token = body["sync_token"]
        if not body["next"]:
            return ids, token, requests
        response = api.get(body["next"])


def changes(api, token):
    """The changes feed from `token`: {(resource, id): reason} and the new token."""
    out, response = {}, api.get(CHANGES, {"since": token})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        out.update({(row["resource"], row["id"]): row["reason"] for row in body["deleted"]})
        if not body["next"]:
            return out, body["sync_token"]
        response = api.get(body["next"])


@pytest.fixture
def book(manager):
    """The manager's three clients, each with a contact, an open deal and a planned task."""
    clients = [ClientFactory(owner=manager, name=f"Клиент {n}") for n in range(3)]
    for client in clients:
        ContactFactory(client=client)
        DealFactory(client=client)
        ActivityFactory(client=client, kind=Activity.Kind.TASK, done_at=None, due_at=timezone.now() + timedelta(days=1))
    return clients


def test_keyset_pages_give_every_row_once_in_updated_order(manager, book):
    ids, token, requests = pages(api_as(manager), CLIENTS, {"sync": "true", "page_size": 2})
    assert sorted(ids) == sorted(c.pk for c in book)
    assert requests == 2
    assert token


def test_a_row_edited_while_paging_comes_again_on_a_later_page(manager, book):
    api = api_as(manager)
    first = api.get(CLIENTS, {"sync": "true", "page_size": 2}).json()
    seen = [row["id"] for row in first["results"]]
    edited = Client.objects.get(pk=seen[0])
    edited.name = "Переименован"
    edited.save()
    rest, _token, _requests = pages(api, first["next"], {})
    assert edited.pk in rest
    assert set(seen + rest) == {c.pk for c in book}


def test_the_sync_token_is_the_first_pages(manager, book):
    api = api_as(manager)
    first = api.get(CLIENTS, {"sync": "true", "page_size": 1}).json()
    second = api.get(first["next"]).json()
    assert second["sync_token"] == first["sync_token"]


def test_incremental_sync_brings_edits_and_the_feed_the_removals(manager, other_manager, head, team_lead, book):
    api = api_as(manager)
    _ids, token, _ = pages(api, CLIENTS, {"sync": "true"})
    lead_token = pages(api_as(team_lead), CLIENTS, {"sync": "true"})[1]
    away = book[0]
    away_deal, kept_deal, other_deal = (Deal.objects.get(client=c) for c in book)
    away_task = Activity.objects.get(client=away)
    away_contact = away.contacts.get()
    # The head reassigns one client to a manager of another team, deletes a deal, the manager edits another.
    client_reassign(client=away, to_owner=other_manager, by=head, reason="Перераспределение")
    kept_deal_id = kept_deal.pk
    deal_delete(deal=kept_deal, by=head)
    other_deal.title = "Новое название"
    other_deal.save()

    feed, _new = changes(api, token)
    assert feed == {
        ("clients", away.pk): "reassigned",
        ("contacts", away_contact.pk): "reassigned",
        ("deals", away_deal.pk): "reassigned",
        ("activities", away_task.pk): "reassigned",
        ("deals", kept_deal_id): "deleted",
    }
    deals = pages(api, "/api/v1/deals/", {"since": token})[0]
    assert other_deal.pk in deals and away_deal.pk not in deals
    # The team lead loses the client too (it went to another team); the new owner's phone receives it all.
    assert ("clients", away.pk) in changes(api_as(team_lead), lead_token)[0]
    new_owner = api_as(other_manager)
    assert away.pk in pages(new_owner, CLIENTS, {"since": token})[0]
    assert away_contact.pk in pages(new_owner, "/api/v1/contacts/", {"since": token})[0]
    assert away_task.pk in pages(new_owner, "/api/v1/activities/", {"since": token})[0]


def test_a_reassignment_inside_the_team_is_no_removal_for_its_lead(manager, teammate, team_lead, head, book):
    token = token_issue(timezone.now())
    client_reassign(client=book[0], to_owner=teammate, by=head, reason="Внутри группы")
    assert changes(api_as(team_lead), token)[0] == {}
    assert ("clients", book[0].pk) in changes(api_as(manager), token)[0]


def test_a_client_handed_back_is_not_dropped(manager, other_manager, head, book):
    token = token_issue(timezone.now())
    client_reassign(client=book[0], to_owner=other_manager, by=head, reason="Туда")
    client_reassign(client=book[0], to_owner=manager, by=head, reason="Обратно")
    feed = changes(api_as(manager), token)[0]
    assert ("clients", book[0].pk) not in feed
    assert feed == {}


def test_the_head_gets_deletions_not_reassignments(manager, other_manager, head, book):
    token = token_issue(timezone.now())
    client_reassign(client=book[0], to_owner=other_manager, by=head, reason="Перераспределение")
    lonely = ClientFactory(owner=manager)
    contact = ContactFactory(client=lonely)
    lonely_id, contact_id = lonely.pk, contact.pk
    client_delete(client=lonely, by=head)
    assert changes(api_as(head), token)[0] == {("clients", lonely_id): "deleted", ("contacts", contact_id): "deleted"}


def test_nobody_gets_the_tombstones_of_rows_he_never_saw(manager, other_manager, head):
    token = token_issue(timezone.now())
    theirs = DealFactory(client=ClientFactory(owner=other_manager))
    theirs_id = theirs.pk
    deal_delete(deal=theirs, by=head)
    assert changes(api_as(manager), token)[0] == {}
    assert changes(api_as(other_manager), token)[0] == {("deals", theirs_id): "deleted"}


def test_a_manager_moving_team_leaves_the_old_leads_phone(manager, team_lead, other_team, book):
    token = token_issue(timezone.now())
    new_lead = UserFactory(username="lead2", role="team_lead", team=other_team)
    manager.team = other_team
    manager.save()
    old = changes(api_as(team_lead), token)[0]
    assert {("clients", c.pk) for c in book} <= set(old)
    assert set(old.values()) == {"team_changed"}
    assert changes(api_as(manager), token)[0] == {}
    assert {c.pk for c in book} <= set(pages(api_as(new_lead), CLIENTS, {"since": token})[0])


def test_a_token_not_ours_is_400_and_an_old_one_410(manager):
    api = api_as(manager)
    bad = api.get(CHANGES, {"since": "forged"})
    assert bad.status_code == 400 and "since" in field_errors(bad)
    assert api.get(CLIENTS, {"since": "forged"}).status_code == 400
    assert api.get(CLIENTS, {"cursor": "forged"}).status_code == 400
    assert api.get(CHANGES).status_code == 400
    old = token_issue(timezone.now() - timedelta(days=31))
    for url in (CHANGES, CLIENTS):
        gone = api.get(url, {"since": old})
        assert gone.status_code == 410
        assert error_codes(gone) == {"non_field_errors": ["full_resync_required"]}


def test_tombstones_are_kept_thirty_days(manager, head):
    deal_delete(deal=DealFactory(client=ClientFactory(owner=manager)), by=head)
    row = Tombstone.objects.get()
    assert tombstones_purge(now=row.at + timedelta(days=29)) == 0
    assert tombstones_purge(now=row.at + timedelta(days=31)) == 1
    assert not Tombstone.objects.exists()


def test_queries_of_a_keyset_page_do_not_grow_with_rows(manager):
    api = api_as(manager)
    ClientFactory.create_batch(3, owner=manager)
    with CaptureQueriesContext(connection) as few:
        assert api.get(CLIENTS, {"sync": "true"}).status_code == 200
    ClientFactory.create_batch(20, owner=manager)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(CLIENTS, {"sync": "true"}).json()["results"]) == 23
    assert len(many) == len(few)


def test_a_list_without_updated_at_refuses_cursor_paging(head):
    response = api_as(head).get("/api/v1/vip/referrals/", {"sync": "true"})
    assert response.status_code == 400
    assert "sync" in field_errors(response)


def test_sync_false_keeps_page_numbers_and_a_bad_value_is_400(manager, book):
    api = api_as(manager)
    numbered = api.get(CLIENTS, {"sync": "false"})
    assert numbered.status_code == 200 and numbered.json()["count"] == 3
    bad = api.get(CLIENTS, {"sync": "maybe"})
    assert bad.status_code == 400 and "sync" in field_errors(bad)
