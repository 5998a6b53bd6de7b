"""The weekly review's filter: the week (any day of it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewWeekForm(forms.Form):
    week = forms.DateField(
        label=_("Week of"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
