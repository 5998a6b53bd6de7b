"""The client card's form of the client's yearly purchases of a category (share of wallet, crm/services/wallet.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import ProductCategory


class ClientWalletForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ProductCategory.objects.none(), empty_label=_("Choose a category")
    )
    # Parsed by the service (crm/rules/wallet.py): "1 234 567,50", "1234567.5" and a trailing ₽ are all fine.
    yearly_amount = forms.CharField(label=_("From all suppliers a year, ₽"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ProductCategory.objects.filter(is_active=True).order_by("name")
