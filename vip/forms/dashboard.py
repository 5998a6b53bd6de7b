"""The VIP head's dashboard filters: the week (any day of it) and the campaign."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import User
from vip.models import Campaign


class DashboardForm(forms.Form):
    week = forms.DateField(label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)  # type: ignore[attr-defined]
