"""The programme's list: a client given to someone other than its owner needs a reason; only the VIP head splits it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.crm.factories import ClientFactory
from vip.services.programme import programme_client_add, programme_client_assign

pytestmark = pytest.mark.django_db


def test_a_client_goes_on_the_list_with_its_owner(vip_head, manager):
    entry = programme_client_add(client=ClientFactory(owner=manager), by=vip_head, reason="частный, важный")
    assert (entry.assigned_to, entry.added_by, entry.added_reason) == (manager, vip_head, "частный, важный")


def test_giving_the_client_to_another_needs_a_reason(vip_head, manager, teammate):
    client = ClientFactory(owner=manager)
    entry = programme_client_add(client=client, by=vip_head)
    with pytest.raises(ValidationError) as caught:
        programme_client_assign(entry=entry, employee=teammate, by=vip_head)
    assert "assign_reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        programme_client_assign(entry=entry, employee=teammate, by=vip_head, reason="other", note=" ")
    assert "assign_note" in caught.value.message_dict
    entry = programme_client_assign(entry=entry, employee=teammate, by=vip_head, reason="keeps_away")
    assert (entry.assigned_to, entry.assign_reason) == (teammate, "keeps_away")
    client.refresh_from_db()
    assert client.owner == manager  # the owner keeps the client in sales
    back = programme_client_assign(entry=entry, employee=manager, by=vip_head, reason="keeps_away")
    assert back.assign_reason == ""


def test_only_the_vip_head_keeps_the_list(manager, head, vip_head):
    client = ClientFactory(owner=manager)
    with pytest.raises(PermissionDenied):
        programme_client_add(client=client, by=manager)
    entry = programme_client_add(client=client, by=head)
    with pytest.raises(PermissionDenied):
        programme_client_assign(entry=entry, employee=manager, by=manager)
