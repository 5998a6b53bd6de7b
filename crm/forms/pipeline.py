"""Forms of the pipeline pages: board filters, the stage-move form, payments and activities on a deal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Activity, Deal, LostReason, MarketSegment, Team, User

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class MoneyField(forms.DecimalField):
    """Roubles as people type them: `150 000,50`, `150000.50` or `150 000 ₽`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", MONEY_WIDGET)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("₽", "").replace(",", ".")
            value = "".join(value.split())
        return super().to_python(value)


class BoardFilterForm(forms.Form):
    """GET filters of the board; the manager and team choices exist only for those who see others' deals."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    manager = forms.ModelChoiceField(
        label=_("Manager"), required=False, queryset=User.objects.none(), empty_label=_("All managers")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams")
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"), required=False, queryset=MarketSegment.objects.all(), empty_label=_("All segments")
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager_field: forms.ModelChoiceField = self.fields["manager"]  # type: ignore[assignment]
        team_field: forms.ModelChoiceField = self.fields["team"]  # type: ignore[assignment]
        if by.is_head or by.role == "team_lead":
            manager_field.queryset = User.objects.visible_to(by).sellers()
        else:
            del self.fields["manager"]
        if by.is_head:
            team_field.queryset = Team.objects.visible_to(by)
        else:
            del self.fields["team"]


class ReviewFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams")
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field: forms.ModelChoiceField = self.fields["team"]  # type: ignore[assignment]
        if by.is_head:
            team_field.queryset = Team.objects.visible_to(by)
        else:
            del self.fields["team"]


class DealMoveForm(forms.Form):
    """The completion data of the stage being left (crm.services.deals.MOVE_FIELDS) and, when asked, a reason."""

    def __init__(self, *args: Any, deal: Deal, fields: Sequence[str], ask_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(Deal, fields=list(fields))
        for name in fields:
            field = model_fields[name]
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
            elif isinstance(field, forms.DecimalField):
                field = MoneyField(label=field.label, help_text=field.help_text)
            elif name in ("meeting_prep_note", "needs"):
                field.widget = forms.Textarea(attrs={"rows": 3})
            field.required = False
            field.initial = getattr(deal, name)
            self.fields[name] = field
        if ask_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    @property
    def completion_data(self) -> dict[str, Any]:
        """The cleaned completion fields, ready for deal_move_stage(data=...)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


class DealLoseForm(forms.Form):
    lost_reason = forms.ModelChoiceField(
        label=_("Loss reason"),
        queryset=LostReason.objects.filter(is_active=True),
        empty_label=_("Choose a reason"),
        error_messages={"required": _("Choose why the deal is lost.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProposalFileForm(forms.Form):
    proposal_file = forms.FileField(label=_("Proposal file"))


class PaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount, ₽"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("Payment document"), max_length=64, required=False)


class DealActivityForm(forms.Form):
    """A call, meeting or e-mail that happened, or a task to do: either a due time or “done now”."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial=Activity.Kind.TASK)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_at = forms.DateTimeField(label=_("Due"), required=False, widget=DATETIME_WIDGET)
    done = forms.BooleanField(label=_("Already done"), required=False)
    call_result = forms.ChoiceField(
        label=_("Call result"), required=False, choices=[("", "—"), *Activity.CallResult.choices]
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("done") and not cleaned.get("due_at") and "due_at" not in self.errors:
            self.add_error("due_at", _("Give the time it is due, or tick “Already done”."))
        return cleaned
