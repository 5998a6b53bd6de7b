"""The funnel's parameters (page, drill-down, export and API alike): the view, the dates and the slices."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.selectors.funnel import COHORT, PERIOD, FunnelQuery
from analytics.selectors.scope import managers_in_scope
from core.calendar import month_shift, month_start
from crm.models import Client, MarketSegment, ProductCategory, Team, User

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
LONGEST = timedelta(days=3 * 366)


class FunnelForm(forms.Form):
    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[
            (PERIOD, _("By period: deals that reached each stage in it")),
            (COHORT, _("By cohort: deals created in it")),
        ],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)
    category = forms.ModelChoiceField(
        label=_("Product category"),
        required=False,
        queryset=ProductCategory.objects.order_by("name"),
        empty_label=_("All categories"),
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        required=False,
        queryset=MarketSegment.objects.order_by("name"),
        empty_label=_("All segments"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Client.Channel.choices]
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Client.Source.choices]
    )
    client_kind = forms.ChoiceField(
        label=_("Clients"),
        required=False,
        choices=[("", _("New and existing")), ("new", _("New clients")), ("existing", _("Existing clients"))],
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), required=False, queryset=User.objects.none(), empty_label=_("All managers")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams")
    )

    def __init__(self, *args: Any, by: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        manager_field: forms.ModelChoiceField = self.fields["manager"]  # type: ignore[assignment]
        team_field: forms.ModelChoiceField = self.fields["team"]  # type: ignore[assignment]
        manager_field.queryset = managers_in_scope(by).order_by("last_name", "first_name", "id")
        team_field.queryset = (
            Team.objects.visible_to(by).order_by("name") if by.is_seller or by.sees_everything else Team.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        as_of = data.get("as_of") or self.today
        date_to = data.get("date_to") or as_of
        date_from = data.get("date_from") or month_shift(month_start(date_to), -2)
        if date_from > date_to:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif date_to - date_from > LONGEST:
            self.add_error("date_from", _("The period is at most three years."))
        data.update(view=data.get("view") or PERIOD, date_from=date_from, date_to=date_to, as_of=as_of)
        return data

    def query(self) -> FunnelQuery:
        """The validated parameters (call after is_valid())."""
        data = self.cleaned_data
        return FunnelQuery(
            view=data["view"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            as_of=data["as_of"],
            category_id=data["category"].pk if data.get("category") else None,
            segment_id=data["segment"].pk if data.get("segment") else None,
            channel=data.get("channel") or "",
            region=(data.get("region") or "").strip(),
            source=data.get("source") or "",
            client_kind=data.get("client_kind") or "",
            manager_id=data["manager"].pk if data.get("manager") else None,
            team_id=data["team"].pk if data.get("team") else None,
        )
