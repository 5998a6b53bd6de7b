"""The head's contest form: the metric, the period, the participants and each one's quota (input parsing only; the
rules are checked by analytics/services/contests.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import Contest
from analytics.rules.contests import Metric
from crm.models import User


def quota_field(pk: int) -> str:
    return f"quota_{pk}"


class ContestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    prizes = forms.CharField(label=_("Prizes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    default_quota = forms.DecimalField(
        label=_("Quota for everyone"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "Used for each participant whose own quota is empty. In a plan fulfilment contest leave both empty "
            "to take each one's plans for the period."
        ),
    )

    def __init__(self, *args: Any, sellers: Any, contest: Contest | None = None, **kwargs: Any) -> None:
        if contest is not None and not kwargs.get("data"):
            entries = list(contest.entries.all())
            kwargs["initial"] = {
                "name": contest.name,
                "metric": contest.metric,
                "start": contest.start,
                "end": contest.end,
                "prizes": contest.prizes,
                "participants": [entry.user_id for entry in entries],
                **{quota_field(entry.user_id): entry.quota for entry in entries},
            }
        super().__init__(*args, **kwargs)
        self.sellers = list(sellers)
        self.fields["participants"].queryset = sellers  # type: ignore[attr-defined]
        for seller in self.sellers:
            self.fields[quota_field(seller.pk)] = forms.DecimalField(
                label=str(seller), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
            )

    def seller_rows(self) -> list[dict[str, Any]]:
        """One row per seller for the template: the checkbox state and the quota field."""
        data: Any = self.data
        raw = data.getlist("participants") if self.is_bound else self.initial.get("participants", [])
        chosen = {str(value) for value in raw}
        return [
            {"seller": seller, "checked": str(seller.pk) in chosen, "quota": self[quota_field(seller.pk)]}
            for seller in self.sellers
        ]

    def entries(self) -> list[tuple[User, Decimal | None]]:
        default = self.cleaned_data.get("default_quota")
        result = []
        for user in self.cleaned_data.get("participants") or []:
            own = self.cleaned_data.get(quota_field(user.pk))
            result.append((user, own if own is not None else default))
        return result
