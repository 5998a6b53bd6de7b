"""Page forms of the questionnaires: input parsing only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Role, User
from vip.models import Campaign, ProgrammeClient


class QuestionnaireCreateForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=ProgrammeClient.objects.none())
    meeting_date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, entries: Any, campaigns: Any, employees: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = entries  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        if employees:
            self.fields["employee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                Q(role__in=[Role.MANAGER, Role.TEAM_LEAD, Role.VIP_HEAD]), is_active=True
            )
        else:
            del self.fields["employee"]


class ResumeForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Date of the new meeting"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
