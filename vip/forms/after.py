"""The forms of "after quality" on the questionnaire page: a proposal from an item, a referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Product, User
from vip.models import QuestionnaireOffer


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is proposed"), choices=QuestionnaireOffer.Kind.choices)
    text = forms.CharField(label=_("The item of the questionnaire"), max_length=255)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    amount = forms.DecimalField(
        label=_("Expected amount, ₽"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name")  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    name = forms.CharField(label=_("Company"), max_length=255)
    inn = forms.CharField(label=_("INN"), max_length=12, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=255, required=False)
    assigned_to = forms.ModelChoiceField(
        label=_("Give to"), queryset=User.objects.none(), required=False, help_text=_("By default, the employee.")
    )

    def __init__(self, *args: Any, may_assign: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_assign:
            sellers = User.objects.filter(is_active=True, role__in=["manager", "team_lead"]).order_by("last_name")
            self.fields["assigned_to"].queryset = sellers  # type: ignore[attr-defined]
        else:
            del self.fields["assigned_to"]
