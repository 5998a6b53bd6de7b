"""Page forms of the programme's list, personal lists, campaigns and the call script: input parsing only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Activity, Client, MarketSegment, Role, User
from vip.models import Campaign, ProgrammeClient, StaffAssignment


class CandidateFilterForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Market segment"), queryset=MarketSegment.objects.all(), required=False)
    min_revenue = forms.DecimalField(label=_("Revenue for 12 months, at least, ₽"), min_value=0, required=False)
    corporate = forms.BooleanField(label=_("Corporate clients only"), required=False)


class AddClientsForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(label=_("Clients"), queryset=Client.objects.none())
    tier = forms.ChoiceField(label=_("Tier"), choices=ProgrammeClient.Tier.choices, initial=ProgrammeClient.Tier.YEARLY)

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients  # type: ignore[attr-defined]


class AddByHandForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Private client"), queryset=Client.objects.none())
    reason = forms.CharField(label=_("Why this client is on the list"), max_length=500)

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]


REASON_CHOICES = [("", "—"), *ProgrammeClient.AssignReason.choices]


class AssignForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(label=_("Clients"), queryset=ProgrammeClient.objects.none())
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=User.objects.none(), required=False)
    split = forms.BooleanField(label=_("Split evenly over the campaign's staff"), required=False)
    reason = forms.ChoiceField(label=_("Why not the owner"), choices=REASON_CHOICES, required=False)
    note = forms.CharField(label=_("Reason in words"), max_length=500, required=False)

    def __init__(self, *args: Any, entries: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["employee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            vip_assignments__campaign__in=campaigns
        ).distinct()


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52, initial=13)


class StaffForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Employee"), queryset=User.objects.none())
    load = forms.ChoiceField(label=_("Load"), choices=StaffAssignment.Load.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(role__in=[Role.MANAGER, Role.TEAM_LEAD, Role.VIP_HEAD]), is_active=True
        ).order_by("last_name", "id")


class CallScriptForm(forms.Form):
    text = forms.CharField(label=_("Call script"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)


class MeetingCallForm(forms.Form):
    call_result = forms.ChoiceField(label=_("Result of the call"), choices=Activity.CallResult.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    meeting_at = forms.DateTimeField(
        label=_("Meeting (or the next call) at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
