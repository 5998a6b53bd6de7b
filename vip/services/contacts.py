"""Key persons and contacts in the questionnaire: confirm, update, mark gone, add. Every change of a contact person
goes through crm's contact services (so crm's rules apply and the change log records it); the questionnaire keeps
which persons were checked and how (`ContactCheck`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, ContactPerson, User
from crm.services.clients import can_change_contacts, contact_create, contact_delete, contact_update
from crm.services.history import changelog_record
from vip.models import ContactCheck, Questionnaire
from vip.services.questionnaires import may_fill

# What the questionnaire lets the employee change: name, role, phone, e-mail.
EDITABLE = ("full_name", "position", "decision_role", "phone", "email")


def may_check_contacts(questionnaire: Questionnaire, by: User) -> bool:
    """The one who fills the questionnaire, while it is not complete."""
    return may_fill(questionnaire, by) and questionnaire.status != Questionnaire.Status.COMPLETE


def may_change_contacts(questionnaire: Questionnaire, by: User) -> bool:
    """Changing the card's persons is crm's rule (the owner, his lead, the head, the VIP head, the base manager)."""
    return may_check_contacts(questionnaire, by) and can_change_contacts(by, questionnaire.client)


def _guard(questionnaire: Questionnaire, by: User, contact: ContactPerson | None = None) -> None:
    if not may_check_contacts(questionnaire, by):
        if questionnaire.status == Questionnaire.Status.COMPLETE:
            raise ValidationError(_("The questionnaire is complete."))
        raise PermissionDenied(_("You may not fill this questionnaire."))
    if contact is not None and contact.client_id != questionnaire.client_id:
        raise ValidationError(_("This person is not the client's."))


def _record(questionnaire: Questionnaire, by: User, contact: ContactPerson | None, name: str, action: str) -> None:
    check = ContactCheck.objects.create(
        questionnaire=questionnaire, contact=contact, contact_name=name, action=action, by=by
    )
    changelog_record(obj=check, by=by, action=ChangeLog.Action.CREATE)


@transaction.atomic
def contact_confirm(*, questionnaire: Questionnaire, contact: ContactPerson, by: User) -> None:
    """The person is still in place and his details are right: nothing changes on the card."""
    _guard(questionnaire, by, contact)
    _record(questionnaire, by, contact, contact.full_name, ContactCheck.Action.CONFIRMED)


@transaction.atomic
def contact_change(
    *, questionnaire: Questionnaire, contact: ContactPerson, by: User, data: dict[str, Any]
) -> ContactPerson:
    _guard(questionnaire, by, contact)
    contact = contact_update(contact=contact, by=by, data={k: v for k, v in data.items() if k in EDITABLE})
    _record(questionnaire, by, contact, contact.full_name, ContactCheck.Action.UPDATED)
    return contact


@transaction.atomic
def contact_gone(*, questionnaire: Questionnaire, contact: ContactPerson, by: User) -> None:
    """The person left the company. crm's contact person has no "active" flag, so he is removed from the card
    through `contact_delete` (the change log keeps what he was); the questionnaire keeps his name as gone."""
    _guard(questionnaire, by, contact)
    name = contact.full_name
    _record(questionnaire, by, contact, name, ContactCheck.Action.GONE)
    contact_delete(contact=contact, by=by)


@transaction.atomic
def contact_add(*, questionnaire: Questionnaire, by: User, data: dict[str, Any]) -> ContactPerson:
    _guard(questionnaire, by)
    contact = contact_create(by=by, client=questionnaire.client, data={k: v for k, v in data.items() if k in EDITABLE})
    _record(questionnaire, by, contact, contact.full_name, ContactCheck.Action.ADDED)
    return contact
