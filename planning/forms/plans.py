"""Forms of the plan pages: the head's T, s and one-off share (a new version), and generating a plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from crm.models import DepartmentSettings, User
from planning.models import Plan
from planning.services.plans import negative_gap_confirmation

EXISTING_SHARE_CHOICES = [
    ("0.5", _("1/2 of G to existing clients")),
    ("0.6", _("3/5 of G to existing clients")),
    ("0.6667", _("2/3 of G to existing clients")),
]


class PlanAdjustForm(forms.Form):
    target = forms.DecimalField(label=_("Target T, ₽"), min_value=0, max_digits=14, decimal_places=2)
    active_existing_share = forms.DecimalField(
        label=_("Share s of active sales to existing clients"), max_digits=6, decimal_places=4
    )
    one_off_share = forms.DecimalField(
        label=_("Planned share of the one-off remainder"), max_digits=6, decimal_places=4
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ranges are the head's (department settings), so the form takes them when it is made.
        settings = DepartmentSettings.current()
        self.ranges = ranges = {
            "active_existing_share": (settings.existing_share_min, settings.existing_share_max),
            "one_off_share": (settings.one_off_share_min, settings.one_off_share_max),
        }
        for name, (low, high) in ranges.items():
            field: forms.DecimalField = self.fields[name]  # type: ignore[assignment]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=str(low), max=str(high))
            field.help_text = _("From %(low)s to %(high)s.") % {"low": f"{low:.4g}", "high": f"{high:.4g}"}


class PlanGenerateForm(PlanAdjustForm):
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none())
    # An <input type="month"> shows only a YYYY-MM value: a date rendered as 01.12.2026 would leave it empty.
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
    )

    field_order = ["manager", "month", "target", "active_existing_share", "one_off_share"]

    def __init__(self, *args: object, managers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["manager"].queryset = User.objects.filter(pk__in=[m.pk for m in managers])  # type: ignore[attr-defined]
        # Left empty, T is the manager's last approved target, else A of the window rounded to thousands.
        target = self.fields["target"]
        target.required = False
        target.help_text = _(
            "Empty: the manager's last approved target, or else the average month A rounded to thousands."
        )
        # The lower ends of the head's ranges (1/2 and 20 per cent by default).
        self.fields["active_existing_share"].initial = self.ranges["active_existing_share"][0]
        self.fields["one_off_share"].initial = self.ranges["one_off_share"][0]


class PlanApproveForm(forms.Form):
    """Approving a plan; a plan whose G is negative needs the head to tick the sentence with its figures."""

    confirm_negative_g = forms.BooleanField(label=_("I confirm the negative G"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.negative_gap = plan.active_gap < 0
        field = self.fields["confirm_negative_g"]
        if self.negative_gap:
            field.required = True
            field.label = negative_gap_confirmation(plan)
            field.error_messages["required"] = _("Tick the confirmation: G is negative.")
        else:
            field.widget = forms.HiddenInput()
