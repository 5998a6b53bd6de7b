"""The stock request forms: what a client would buy, the page's filters, and the head's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Product, ProductCategory, StockRequest, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.sku})"


class StockRequestForm(forms.Form):
    """One of a product, a category or an item not in the catalogue; the service says which one is missing."""

    product = ProductChoiceField(
        label=_("Product"),
        required=False,
        queryset=Product.objects.filter(is_active=True).order_by("name", "id"),
        empty_label=_("Not from the catalogue"),
    )
    category = forms.ModelChoiceField(
        label=_("Or a whole category"),
        required=False,
        queryset=ProductCategory.objects.order_by("name"),
        empty_label=_("No category"),
    )
    item_name = forms.CharField(
        label=_("Or the item in words, if it is not in the catalogue"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. UTP cat. 6 outdoor cable")}),
    )
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("How much would the client take?")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": _("pcs")}),
        help_text=_("Empty: the product's unit."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("How often, at what price, for which project")}),
    )


class StockFilterForm(forms.Form):
    """GET filters of the list; the manager choice exists only for those who see others' clients."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *StockRequest.Status.choices]
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), required=False, queryset=User.objects.none(), empty_label=_("All managers")
    )
    product = ProductChoiceField(
        label=_("Product"), required=False, queryset=Product.objects.none(), empty_label=_("All products")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=ProductCategory.objects.order_by("name"),
        empty_label=_("All categories"),
    )
    client = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    created_from = forms.DateField(label=_("Recorded since"), required=False, widget=DATE_WIDGET)
    created_to = forms.DateField(label=_("Recorded until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, by: User, products: Any, **kwargs: Any) -> None:
        """`products`: the products asked for in the requests the user sees (not the whole catalogue)."""
        super().__init__(*args, **kwargs)
        manager_field: forms.ModelChoiceField = self.fields["manager"]  # type: ignore[assignment]
        product_field: forms.ModelChoiceField = self.fields["product"]  # type: ignore[assignment]
        product_field.queryset = products
        if by.is_head or by.is_team_lead:
            manager_field.queryset = User.objects.visible_to(by).sellers()
        else:
            del self.fields["manager"]

    def params(self) -> dict[str, Any]:
        """The valid filters as the FilterSet reads them (ids and ISO dates); an invalid one is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        params: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            params[name] = value.isoformat() if hasattr(value, "isoformat") else getattr(value, "pk", value)
        return params


class StockAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[choice for choice in StockRequest.Status.choices if choice[0] != StockRequest.Status.PENDING],
        error_messages={"required": _("Choose ordered or refused.")},
    )
    answer = forms.CharField(
        label=_("Comment for the manager"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("When it arrives, or why not")}),
    )
