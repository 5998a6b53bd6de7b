"""The head's correction of the working calendar: one day made working or a day off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class WorkingDayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_working = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("1", _("a working day")), ("0", _("a day off"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Why"), max_length=200, required=False)


class WorkingDayResetForm(forms.Form):
    day = forms.DateField(input_formats=DATE_FORMATS)
