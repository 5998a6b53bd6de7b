"""The analytics' forms: the ABC/XYZ pages' filter and the head's analytics settings."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import AnalyticsSettings
from analytics.selectors.abc import Slice
from analytics.selectors.scope import managers_in_scope
from analytics.services.settings import SETTINGS_FIELDS
from crm.forms.concurrency import REVISION, revision_field
from crm.models import Team, User


class AbcFilterForm(forms.Form):
    """?as_of=, ?team=, ?manager=: a team or a manager only among those the user's scope covers."""

    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(), required=False)

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        self.user = user
        managers = managers_in_scope(user)
        manager_field = cast(forms.ModelChoiceField, self.fields["manager"])
        manager_field.queryset = managers.order_by("last_name", "first_name", "username")
        team_field = cast(forms.ModelChoiceField, self.fields["team"])
        team_field.queryset = Team.objects.filter(pk__in=managers.values("team_id")).order_by("name")

    def slice(self) -> Slice:
        data = self.cleaned_data
        return Slice(
            self.user,
            team_id=data["team"].pk if data.get("team") else None,
            manager_id=data["manager"].pk if data.get("manager") else None,
        )

    def day(self) -> Any:
        return self.cleaned_data.get("as_of") or timezone.localdate()


SETTINGS_SECTIONS = (
    (_("ABC/XYZ"), SETTINGS_FIELDS[:8]),
    (_("LTV"), SETTINGS_FIELDS[8:9]),
    (_("NPS survey"), SETTINGS_FIELDS[9:12]),
    (_("Intermediate KPIs"), SETTINGS_FIELDS[12:]),
)


class AnalyticsSettingsForm(forms.ModelForm):
    class Meta:
        model = AnalyticsSettings
        fields = list(SETTINGS_FIELDS)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields[REVISION] = revision_field()
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            self.initial.setdefault(REVISION, instance.revision)

    @property
    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SETTINGS_SECTIONS]

    def settings_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}
