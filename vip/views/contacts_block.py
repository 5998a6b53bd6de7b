"""The key persons block of the questionnaire page: the client's contact persons with their checks and forms."""

from __future__ import annotations

from typing import Any

from crm.models import User
from vip.forms.contacts import KeyPersonForm
from vip.models import Questionnaire
from vip.selectors.contacts import questionnaire_contacts
from vip.services.contacts import may_change_contacts, may_check_contacts


def contacts_context(
    questionnaire: Questionnaire,
    user: User,
    *,
    forms: dict[int, KeyPersonForm] | None = None,
    add_form: KeyPersonForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    block = questionnaire_contacts(questionnaire, user)
    forms = forms or {}
    for row in block.rows:
        pk = row.contact.pk
        if pk not in forms:
            forms[pk] = KeyPersonForm(initial=KeyPersonForm.initial_for(row.contact), prefix=f"c{pk}")
    return {
        "questionnaire": questionnaire,
        "contacts": block,
        "contact_forms": forms,
        "contact_add_form": add_form or KeyPersonForm(prefix="new"),
        "contacts_open": {pk for pk, f in forms.items() if f.is_bound},
        "add_open": bool(add_form and add_form.is_bound),
        "may_check_contacts": may_check_contacts(questionnaire, user),
        "may_change_contacts": may_change_contacts(questionnaire, user),
        "contacts_error": error,
    }
