"""Forms of the plan pages: the head's T, s and one-off share (a new version), and generating a plan."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import User
from planning.rules.plans import EXISTING_SHARE_MAX, EXISTING_SHARE_MIN, ONE_OFF_SHARE_MAX, ONE_OFF_SHARE_MIN

EXISTING_SHARE_CHOICES = [
    ("0.5", _("1/2 of G to existing clients")),
    ("0.6", _("3/5 of G to existing clients")),
    ("0.6667", _("2/3 of G to existing clients")),
]


class PlanAdjustForm(forms.Form):
    target = forms.DecimalField(label=_("Target T, ₽"), min_value=0, max_digits=14, decimal_places=2)
    active_existing_share = forms.DecimalField(
        label=_("Share s of active sales to existing clients"),
        min_value=EXISTING_SHARE_MIN,
        max_value=EXISTING_SHARE_MAX,
        max_digits=6,
        decimal_places=4,
        help_text=_("From 0.5 (1/2) to 0.6667 (2/3)."),
    )
    one_off_share = forms.DecimalField(
        label=_("Planned share of the one-off remainder"),
        min_value=ONE_OFF_SHARE_MIN,
        max_value=ONE_OFF_SHARE_MAX,
        max_digits=6,
        decimal_places=4,
        help_text=_("From 0.20 to 0.25 (20 to 25 per cent)."),
    )


class PlanGenerateForm(PlanAdjustForm):
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none())
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))

    field_order = ["manager", "month", "target", "active_existing_share", "one_off_share"]

    def __init__(self, *args: object, managers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["manager"].queryset = User.objects.filter(pk__in=[m.pk for m in managers])  # type: ignore[attr-defined]
        self.fields["active_existing_share"].initial = Decimal("0.5")
        self.fields["one_off_share"].initial = Decimal("0.20")
