"""The head's search of the audit log: what, who, when."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import User
from crm.selectors.audit import AUDITED

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything"))] + [(k, v[2]) for k, v in AUDITED.items()]
    )
    by = forms.ModelChoiceField(label=_("Who"), required=False, queryset=User.objects.none())
    username = forms.CharField(label=_("Login"), required=False, max_length=150)
    object_id = forms.IntegerField(label=_("Record number"), required=False, min_value=1, max_value=2**62)
    date_from = forms.DateField(label=_("From the day"), required=False, input_formats=DATE_FORMATS)
    date_to = forms.DateField(label=_("To the day"), required=False, input_formats=DATE_FORMATS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        by: forms.ModelChoiceField = self.fields["by"]  # type: ignore[assignment]
        by.queryset = User.objects.order_by("last_name", "first_name", "username")
