"""A key person as the questionnaire edits him: name, role, phone, e-mail (crm's fields and validation)."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.models import ContactPerson
from vip.services.contacts import EDITABLE


class KeyPersonForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ContactPerson, fields=list(EDITABLE)))
        # Any way of writing a number is accepted here; crm's service normalises it and reports a bad one.
        self.fields["phone"].validators = []
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"inputmode": "email", "autocomplete": "off"})

    @classmethod
    def initial_for(cls, contact: ContactPerson) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in EDITABLE}
