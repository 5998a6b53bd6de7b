"""Forms of the plan-work pages: choosing a manager and a month, and the head's edits of Tools 1 and 2."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import or_none, parse_id
from crm.models import Product, ProductCategory, User
from planning.models import FeaturedItem


class ManagerMonthForm(forms.Form):
    """Whose plan and which month; the manager list holds only the sellers the user sees."""

    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(), required=False)
    month = forms.DateField(label=_("Month"), required=False, input_formats=["%Y-%m"])

    def __init__(self, *args: Any, sellers: Any, with_month: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = sellers  # type: ignore[attr-defined]
        self.fields["manager"].empty_label = _("Everyone I see")  # type: ignore[attr-defined]
        self.fields["month"].widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
        if not with_month:
            del self.fields["month"]


class ComplementForm(forms.Form):
    """A pair of the complement map; only active categories are offered."""

    category = forms.ModelChoiceField(
        label=_("Client buys"), queryset=ProductCategory.objects.filter(is_active=True).order_by("name")
    )
    complement = forms.ModelChoiceField(
        label=_("Offer"), queryset=ProductCategory.objects.filter(is_active=True).order_by("name")
    )


def posted_id(value: str | None) -> int:
    """A row id posted by a button; 0 (found by nothing, so 404) when it is not a number."""
    return or_none(parse_id, value) or 0


class FeaturedItemForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(is_active=True).order_by("name")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeaturedItem.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class Tool2ItemForm(forms.Form):
    """A line of a manager's own Tool 2: a product of the catalogue or a free text."""

    kind = forms.ChoiceField(label=_("Group"), choices=FeaturedItem.Kind.choices)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Not from the catalogue"),
    )
    text = forms.CharField(
        label=_("Or the item in your words"),
        max_length=255,
        required=False,
        help_text=_("A brand, a series or an offer that is not one product."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
