"""The client's contact persons on the questionnaire page, with what was checked in this questionnaire; two queries
whatever the number of persons."""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import ContactPerson, User
from vip.models import ContactCheck, Questionnaire


@dataclass(frozen=True)
class ContactRow:
    contact: ContactPerson
    check: ContactCheck | None  # the last check of this person in this questionnaire


@dataclass(frozen=True)
class ContactsBlock:
    rows: list[ContactRow]
    gone: list[ContactCheck]  # persons marked gone in this questionnaire (removed from the card)
    checked: int  # persons of the card checked (confirmed, updated or added) in this questionnaire


def questionnaire_contacts(questionnaire: Questionnaire, user: User) -> ContactsBlock:
    contacts = list(
        ContactPerson.objects.visible_to(user).filter(client_id=questionnaire.client_id).order_by("full_name", "id")
    )
    checks = list(ContactCheck.objects.filter(questionnaire=questionnaire).order_by("at", "id"))
    last = {c.contact_id: c for c in checks if c.contact_id is not None}
    rows = [ContactRow(contact=c, check=last.get(c.pk)) for c in contacts]
    gone = [c for c in checks if c.action == ContactCheck.Action.GONE]
    return ContactsBlock(rows=rows, gone=gone, checked=sum(1 for r in rows if r.check is not None))
