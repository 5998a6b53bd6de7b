"""Clients: validation of INN/KPP/phones, ownership, and the history of every change."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.money import format_rub, money_div, money_mul, to_money
from crm.models import ChangeLog, Client, OwnershipChange
from crm.models.validators import normalize_name, normalize_phone, phone_digits
from crm.services.clients import client_create, client_reassign, client_update, contact_create
from tests.crm.factories import ClientFactory

VALID = {"name": "ООО «Ромашка»", "inn": "7707083893", "kpp": "773601001", "phone": "8 (495) 123-45-67"}


def test_a_manager_creates_a_client_he_owns_from_today(manager):
    client = client_create(by=manager, data=dict(VALID), today=date(2026, 11, 23))

    assert (client.owner, client.owned_since, client.phone) == (manager, date(2026, 11, 23), "+74951234567")
    assert client.normalized_name == "ромашка"
    assert OwnershipChange.objects.get(client=client).to_owner == manager
    assert ChangeLog.objects.get(object_id=client.pk).action == ChangeLog.Action.CREATE


@pytest.mark.parametrize(
    ("field", "value"),
    [("inn", "7707083894"), ("inn", "12345"), ("kpp", "77360100"), ("phone", "12"), ("email", "not-an-email")],
)
def test_bad_identifiers_are_refused_under_their_field(manager, field, value):
    with pytest.raises(ValidationError) as exc:
        client_create(by=manager, data={**VALID, field: value})

    assert field in exc.value.message_dict
    assert not Client.objects.exists()


def test_the_same_inn_and_kpp_cannot_be_entered_twice(manager):
    client_create(by=manager, data=dict(VALID))

    with pytest.raises(ValidationError):
        client_create(by=manager, data=dict(VALID))
    assert Client.objects.count() == 1


def test_a_manager_cannot_give_a_new_client_to_someone_else(manager, other_manager):
    with pytest.raises(ValidationError) as exc:
        client_create(by=manager, data={**VALID, "owner": other_manager})
    assert "owner" in exc.value.message_dict


@pytest.mark.parametrize("role", ["service_owner", "vip_head"])
def test_roles_outside_sales_do_not_add_clients(role, request):
    with pytest.raises(PermissionDenied):
        client_create(by=request.getfixturevalue(role), data=dict(VALID))


def test_updates_are_logged_field_by_field_and_the_owner_is_not_changed_by_edit(manager, other_manager):
    client = client_create(by=manager, data=dict(VALID))

    client_update(client=client, by=manager, data={"region": "Тверь", "phone": "+7 (495) 765-43-21"})

    log = ChangeLog.objects.filter(object_id=client.pk, action=ChangeLog.Action.UPDATE).get()
    assert log.changes == {"region": ["", "Тверь"], "phone": ["+74951234567", "+74957654321"]}
    assert log.by == manager
    with pytest.raises(ValidationError):
        client_update(client=client, by=manager, data={"owner": other_manager})


def test_another_managers_client_cannot_be_changed(manager, other_manager):
    client = ClientFactory(owner=manager, region="Москва")

    with pytest.raises(PermissionDenied):
        client_update(client=client, by=other_manager, data={"region": "Тула"})
    client.refresh_from_db()
    assert client.region == "Москва"


def test_only_the_head_reassigns_and_the_new_clock_starts_with_the_reason_kept(manager, other_manager, head):
    client = ClientFactory(owner=manager, owned_since=date(2026, 1, 1))

    with pytest.raises(PermissionDenied):
        client_reassign(client=client, to_owner=other_manager, by=manager, reason="хочу")
    with pytest.raises(ValidationError):
        client_reassign(client=client, to_owner=other_manager, by=head, reason="")

    client_reassign(
        client=client, to_owner=other_manager, by=head, reason="3 месяца без сделки", today=date(2026, 4, 2)
    )

    client.refresh_from_db()
    assert (client.owner, client.owned_since) == (other_manager, date(2026, 4, 2))
    change = OwnershipChange.objects.get(client=client)
    assert (change.from_owner, change.to_owner, change.by, change.reason) == (
        manager,
        other_manager,
        head,
        "3 месяца без сделки",
    )


def test_contact_phones_are_normalised(manager):
    client = ClientFactory(owner=manager)

    contact = contact_create(by=manager, client=client, data={"full_name": "Пётр", "mobile": "8-916-000-11-22"})

    assert contact.mobile == "+79160001122"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("8 (495) 123-45-67", "+74951234567"), ("+7 916 000 11 22", "+79160001122"), ("", "")],
)
def test_phones_are_normalised_to_e164(raw, expected):
    assert normalize_phone(raw) == expected


def test_names_normalise_for_finding_duplicates():
    assert normalize_name("ООО «Ромашка-Плюс»") == normalize_name("Ромашка плюс, ооо") == "ромашка плюс"
    assert phone_digits("8 (495) 123") == "8495123"
    assert phone_digits("8 (495) 123-45-67") == "74951234567"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.5"), "1\u00a0234\u00a0567,50\u00a0₽"),
        (Decimal("0.005"), "0,01\u00a0₽"),
        (Decimal("-1000"), "-1\u00a0000,00\u00a0₽"),
        (12, "12,00\u00a0₽"),
    ],
)
def test_money_is_formatted_the_russian_way(value, expected):
    assert format_rub(value) == expected


def test_money_rounds_to_kopecks_half_up():
    assert to_money(Decimal("2.345")) == Decimal("2.35")
    assert to_money(Decimal("2.3449")) == Decimal("2.34")
    assert money_div(Decimal("100"), 3) == Decimal("33.33")
    assert money_div(Decimal("860000"), 4) == Decimal("215000.00")
    assert money_mul(Decimal("70000"), Decimal("0.20")) == Decimal("14000.00")
    assert to_money(0.125) == Decimal("0.13")


# --- figures a manager cannot bend (DOMAIN.md section 3: the status is the nightly's, the category the head's) ---


def test_a_manager_sets_neither_the_status_nor_the_category_of_a_client(manager):
    own = ClientFactory(owner=manager, status=Client.Status.PROSPECT, category="")
    with pytest.raises(ValidationError) as error:
        client_update(client=own, by=manager, data={"status": Client.Status.ACTIVE, "category": "a"})
    assert set(error.value.message_dict) == {"status", "category"}
    own.refresh_from_db()
    assert (own.status, own.category) == (Client.Status.PROSPECT, "")
    with pytest.raises(ValidationError) as error:
        client_create(by=manager, data={"name": "ООО Вип", "category": "vip"})
    assert set(error.value.message_dict) == {"category"}
    # What the client already has may be sent back unchanged (a form posts every field).
    client_update(client=own, by=manager, data={"status": Client.Status.PROSPECT, "category": "", "region": "Тула"})


def test_the_head_sets_the_category_and_nobody_the_status(manager, head):
    own = ClientFactory(owner=manager, status=Client.Status.PROSPECT, category="")
    client_update(client=own, by=head, data={"category": "a"})
    own.refresh_from_db()
    assert own.category == "a"
    with pytest.raises(ValidationError) as error:
        client_update(client=own, by=head, data={"status": Client.Status.LOST})
    assert "status" in error.value.message_dict
