"""Prospect lists: the filters shared by the pages and the API, and the forms of the list pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.models import Client, User


class ProspectListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field: forms.ModelChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owner_field.queryset = owners
        owner_field.empty_label = _("Me")


class ProspectEntryForm(forms.Form):
    """Typed values stay as typed; the service normalises the phone and checks the INN and the e-mail."""

    name = forms.CharField(label=_("Company"), max_length=255)
    inn = forms.CharField(label=_("INN"), max_length=12, required=False)
    phone = forms.CharField(label=_("Phone or fax"), max_length=32, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *Client.Source.choices])
    source_detail = forms.ChoiceField(
        label=_("Where found"), required=False, choices=[("", "—"), *Client.SourceDetail.choices]
    )


class ProspectFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX with the columns Наименование, ИНН, Телефон, Email, Адрес, Источник, Откуда."),
    )
    strict = forms.BooleanField(label=_("Write nothing if a row is bad"), required=False, initial=True)
