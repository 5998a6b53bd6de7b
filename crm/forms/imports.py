"""The upload form of the import page: a file, what it holds, and strict or not."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import ImportJob, User
from crm.services.imports import can_import


def import_kinds(user: User) -> list[tuple[str, Any]]:
    """The kinds of file this user may import, as (value, label)."""
    return [(value, label) for value, label in ImportJob.Kind.choices if can_import(user, value)]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1251, `;` or `,`) or XLSX; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    kind = forms.ChoiceField(label=_("The file holds"), choices=())
    strict = forms.BooleanField(
        label=_("Strict: any bad row stops the whole import and nothing is written"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
        kind_field.choices = import_kinds(by)
