"""Writes to clients and contact persons."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.concurrency import lock_for_update
from core.names import genitive
from core.services import model_update
from crm.models import ChangeLog, Client, ContactPerson, OwnershipChange, User
from crm.models.validators import normalize_name, normalize_phone
from crm.services.ownership import client_owner_set, client_owners_set

from .history import changelog_record, snapshot

OWNER_FIELDS = {"owner", "owner_id", "owned_since"}
INN_CONSTRAINT = "client_unique_inn_kpp"
# What a client's page and API write through `client_create` / `client_update` (the owner moves by reassignment).
CLIENT_FIELDS = [
    "name",
    "inn",
    "kpp",
    "phone",
    "phone_extra",
    "email",
    "address",
    "region",
    "segment",
    "source",
    "source_detail",
    "channel",
    "category",
    "status",
]


def client_fields_for(user: User) -> list[str]:
    """The client fields `user` may write: the status is the nightly's (it follows the purchases), the category
    the head's."""
    return [name for name in CLIENT_FIELDS if name != "status" and (name != "category" or user.is_head)]


def _check_figures(*, by: User, data: dict[str, Any], client: Client | None) -> None:
    """Refuse a status, or a category from anyone but the head, that differs from what the client has."""
    errors: dict[str, list[str]] = {}
    status = client.status if client else Client.Status.PROSPECT
    if "status" in data and data["status"] and data["status"] != status:
        errors["status"] = [_("The status follows the client's purchases: the nightly sets it.")]
    category = client.category if client else ""
    if "category" in data and (data["category"] or "") != category and not by.is_head:
        errors["category"] = [_("Only the sales head sets the category.")]
    if errors:
        raise ValidationError(errors)


def can_change_client(user: User, client: Client) -> bool:
    if user.sees_everything:
        return True
    if user.is_seller:
        return Client.objects.visible_to(user).filter(pk=client.pk).exists()
    return False


def can_change_contacts(user: User, client: Client) -> bool:
    """Key persons are also kept up to date by the base manager and the VIP head, who meet them."""
    return can_change_client(user, client) or user.is_base_manager or user.is_vip_head


def normalise_client_data(
    data: dict[str, Any], phone_fields: tuple[str, ...] = ("phone", "phone_extra")
) -> dict[str, Any]:
    """Phones to +7XXXXXXXXXX, identifiers trimmed; every bad phone reported under its field."""
    data = dict(data)
    errors = {}
    for field in phone_fields:
        if field in data:
            try:
                data[field] = normalize_phone(data[field] or "")
            except ValidationError as exc:
                errors[field] = exc.messages
    for field in ("inn", "kpp"):
        if field in data:
            data[field] = (data[field] or "").strip()
    if errors:
        raise ValidationError(errors)
    return data


def inn_holder(*, inn: str, kpp: str = "", exclude_pk: int | None = None) -> Client | None:
    """The client of the base that already has this INN and KPP (the base keeps one per pair), with its owner."""
    inn, kpp = (inn or "").strip(), (kpp or "").strip()
    if not inn:
        return None
    clients = Client.objects.filter(inn=inn, kpp=kpp).select_related("owner")
    if exclude_pk is not None:
        clients = clients.exclude(pk=exclude_pk)
    return clients.first()


def duplicate_inn(holder: Client | None = None) -> ValidationError:
    """The answer to a second client of one INN and KPP: whose client it already is, not a constraint's words."""
    if holder is None:
        message = _("A client with this INN and KPP is already in the base.")
    elif holder.owner is None:
        message = _(
            "This INN is already in the base as “%(client)s”, the client of nobody: claim it from the prospect list."
        ) % {"client": holder.name}
    else:
        message = _("This INN is already the client of %(manager)s (“%(client)s”).") % {
            "manager": genitive(holder.owner),  # «уже клиент у Софии Терентьевой»
            "client": holder.name,
        }
    return ValidationError({"inn": [ValidationError(message, code="duplicate_inn")]})


def inn_check(*, inn: str, kpp: str = "", exclude_pk: int | None = None) -> None:
    """Refuse an INN and KPP the base already has: the same check on save and as the INN is typed."""
    holder = inn_holder(inn=inn, kpp=kpp, exclude_pk=exclude_pk)
    if holder is not None:
        raise duplicate_inn(holder)


def _full_clean(client: Client) -> None:
    client.normalized_name = normalize_name(client.name)
    inn_check(inn=client.inn, kpp=client.kpp, exclude_pk=client.pk)
    client.full_clean(exclude=["normalized_name"])


@contextmanager
def _inn_kept_unique(client: Client) -> Iterator[None]:
    """Two saves of one INN at the same instant both pass the check; the loser gets a sequential duplicate's answer."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) != INN_CONSTRAINT:
            raise
        raise duplicate_inn(inn_holder(inn=client.inn, kpp=client.kpp, exclude_pk=client.pk)) from None


@transaction.atomic
def client_create(*, by: User, data: dict[str, Any], today: date | None = None) -> Client:
    """Create a client; a manager becomes its owner, the head may name one."""
    if not by.works_prospects:
        raise PermissionDenied(_("You may not add clients."))
    _check_figures(by=by, data=data, client=None)
    data = normalise_client_data(data)
    owner = data.pop("owner", None)
    data.pop("owned_since", None)
    if by.is_seller and owner is None:
        owner = by
    if owner is not None and not by.acts_for(owner):
        raise ValidationError({"owner": [_("You may not give a client to this manager.")]})
    if owner is not None and not owner.is_seller:
        raise ValidationError({"owner": [_("Only a sales manager or a team lead can own clients.")]})
    client = Client(**data)
    _full_clean(client)
    with _inn_kept_unique(client):
        client.save()
    if owner is not None:
        client_owners_set(clients=[client], to_owner=owner, by=by, reason=_("Client created"), today=today, log=False)
    changelog_record(obj=client, by=by, action=ChangeLog.Action.CREATE)
    return client


@transaction.atomic
def client_update(*, client: Client, by: User, data: dict[str, Any]) -> Client:
    """Change a client's details; the owner changes only through `client_reassign`."""
    if not can_change_client(by, client):
        raise PermissionDenied(_("You may not change this client."))
    if OWNER_FIELDS & set(data):
        raise ValidationError({"owner": [_("The owner changes only by reassignment.")]})
    lock_for_update(client)
    _check_figures(by=by, data=data, client=client)
    data = normalise_client_data(data)
    before = snapshot(client)
    with _inn_kept_unique(client):
        model_update(instance=client, data=data, clean=_full_clean)
    changelog_record(obj=client, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return client


@transaction.atomic
def client_reassign(
    *,
    client: Client,
    to_owner: User,
    by: User,
    reason: str,
    today: date | None = None,
    cause: str = OwnershipChange.Cause.ASSIGNED,
) -> Client:
    """Give a client to another manager (the head's decision); the new owner's clock starts today."""
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head reassigns clients."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the client is reassigned.")]})
    return client_owner_set(client=client, to_owner=to_owner, by=by, reason=reason, today=today, cause=cause)


@transaction.atomic
def contact_create(*, by: User, client: Client, data: dict[str, Any]) -> ContactPerson:
    if not can_change_contacts(by, client):
        raise PermissionDenied(_("You may not change this client."))
    data = normalise_client_data(data, phone_fields=("phone", "mobile"))
    contact = ContactPerson(client=client, **data)
    contact.full_clean()
    contact.save()
    changelog_record(obj=contact, by=by, action=ChangeLog.Action.CREATE)
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, by: User, data: dict[str, Any]) -> ContactPerson:
    if not can_change_contacts(by, contact.client):
        raise PermissionDenied(_("You may not change this client."))
    lock_for_update(contact)
    data = normalise_client_data(data, phone_fields=("phone", "mobile"))
    data.pop("client", None)
    before = snapshot(contact)
    model_update(instance=contact, data=data)
    changelog_record(obj=contact, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, by: User) -> None:
    """Remove a contact person who left or was entered by mistake; the change log keeps what he was."""
    if not can_change_contacts(by, contact.client):
        raise PermissionDenied(_("You may not change this client."))
    lock_for_update(contact)
    changelog_record(obj=contact, by=by, action=ChangeLog.Action.DELETE)
    contact.delete()


@transaction.atomic
def client_delete(*, client: Client, by: User) -> None:
    """Delete a client entered by mistake: only the head, and only while it has no deals or sales history."""
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head deletes clients."))
    if client.deals.exists() or client.sales.exists():
        raise ValidationError({"non_field_errors": [_("The client has deals or sales history and cannot be deleted.")]})
    changelog_record(obj=client, by=by, action=ChangeLog.Action.DELETE)
    client.delete()
