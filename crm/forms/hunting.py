"""Forms of the hunting pages: a long-list entry's call outcome and the head's department settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import BooleanField
from django.utils.translation import gettext_lazy as _

from crm.forms.concurrency import REVISION, revision_field
from crm.models import DepartmentSettings, User
from crm.models.settings import SETTINGS_FIELDS, SETTINGS_SECTIONS

INTEREST_CHOICES = [("", _("Not called yet")), ("yes", _("Interested")), ("no", _("Not interested"))]


class LongListEntryForm(forms.Form):
    interested = forms.TypedChoiceField(
        label=_("Interest"),
        choices=INTEREST_CHOICES,
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    short_listed = forms.BooleanField(label=_("On the short list"), required=False)
    potential_monthly = forms.DecimalField(
        label=_("Monthly potential, ₽"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    potential_yearly = forms.DecimalField(
        label=_("Or yearly potential, ₽"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    needs = forms.CharField(label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    revision = revision_field()
    reasons_not_bought = forms.CharField(
        label=_("Why they did not buy"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objections = forms.CharField(
        label=_("Objections and how they were solved"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_for(entry: Any) -> dict[str, Any]:
        return {
            "interested": {True: "yes", False: "no"}.get(entry.interested, ""),
            "short_listed": entry.short_listed,
            "potential_monthly": entry.potential_monthly,
            "potential_yearly": entry.potential_yearly,
            "needs": entry.needs,
            "reasons_not_bought": entry.reasons_not_bought,
            "objections": entry.objections,
            "revision": entry.revision,
        }


class DepartmentSettingsForm(forms.ModelForm):
    """The department's numbers, and one number input per seller for the daily cold-call norm."""

    class Meta:
        model = DepartmentSettings
        fields = list(SETTINGS_FIELDS)

    def __init__(self, data: Any = None, *, sellers: list[User], norms: dict[int, int], **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if data is not None and instance is not None:
            # A number the post leaves out keeps its value (a checkbox left out is unticked, as browsers send it).
            data = data.copy()
            for name in SETTINGS_FIELDS:
                if name not in data and not isinstance(DepartmentSettings._meta.get_field(name), BooleanField):
                    data[name] = getattr(instance, name)
        super().__init__(data, **kwargs)
        for _section, fields in SETTINGS_SECTIONS:
            for name, rule in fields:
                self.fields[name].help_text = rule
        # The revision the page was opened at: a save over someone else's newer change is refused, with both values.
        self.fields[REVISION] = revision_field()
        if instance is not None and instance.pk:
            self.initial.setdefault(REVISION, instance.revision)
        self.sellers = sellers
        for seller in sellers:
            self.fields[self.norm_name(seller)] = forms.IntegerField(
                label=str(seller),
                required=False,
                min_value=0,
                max_value=1000,
                initial=norms.get(seller.pk),
                widget=forms.NumberInput(attrs={"placeholder": _("default")}),
            )

    @staticmethod
    def norm_name(seller: User) -> str:
        return f"norm_{seller.pk}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("long_list_min"), data.get("long_list_max")
        if low is not None and high is not None and low > high:
            self.add_error("long_list_min", _("The minimum cannot exceed the maximum."))
        return data

    def settings_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}

    def norms_data(self) -> dict[int, int | None]:
        return {seller.pk: self.cleaned_data.get(self.norm_name(seller)) for seller in self.sellers}

    def norm_fields(self) -> list[forms.BoundField]:
        return [self[self.norm_name(seller)] for seller in self.sellers]

    def settings_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SETTINGS_FIELDS]

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields by DOMAIN.md section, as the page shows them."""
        return [(title, [self[name] for name, _rule in fields]) for title, fields in SETTINGS_SECTIONS]
