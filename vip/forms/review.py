"""The weekly review's filter: the week (any day of it)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


class ReviewWeekForm(forms.Form):
    week = forms.DateField(
        label=_("Week of"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_week(self) -> date | None:
        week: date | None = self.cleaned_data.get("week")
        if week is not None and not EARLIEST <= week <= LATEST:
            raise ValidationError(_("Choose a week between 2000 and 2099."))
        return week
