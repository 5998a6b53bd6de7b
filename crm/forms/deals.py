"""The deal's own forms: a new deal (client, title, manager, amount, close date, product lines) and its edit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.forms.clients import owner_choices
from crm.forms.concurrency import REVISION, revision_field
from crm.forms.pipeline import DATE_WIDGET, MoneyField
from crm.models import Client, Deal, Product, User
from crm.rules.stages import CONCLUDED_STAGES

# A select of every client the head sees would hold the whole base: the first ones by name, and the card's "New
# deal" for any other (it comes with the client chosen).
CLIENT_CHOICES_MAX = 500
LINES_EXTRA = 2
LINES_MAX = 100


class _DealFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    amount = MoneyField(
        label=_("Amount, ₽"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("With products the amount is their total."),
    )
    expected_close_date = forms.DateField(label=_("Expected close"), required=False, widget=DATE_WIDGET)


class DealCreateForm(_DealFieldsForm):
    """`clients`: those the user may open deals for; the head and team leads also choose the manager."""

    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Client.objects.none(), empty_label=_("Choose the client")
    )

    field_order = ["client", "title", "owner", "amount", "expected_close_date"]

    def __init__(self, *args: Any, by: User, clients: QuerySet[Client], chosen: Client | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        client_field: forms.ModelChoiceField = self.fields["client"]  # type: ignore[assignment]
        client_field.queryset = clients
        shown = list(clients.order_by("name", "pk").only("pk", "name")[:CLIENT_CHOICES_MAX])
        if chosen is not None and chosen not in shown:
            shown.insert(0, chosen)
        client_field.widget.choices = [("", client_field.empty_label), *((c.pk, c.name) for c in shown)]
        if len(shown) >= CLIENT_CHOICES_MAX:
            client_field.help_text = _("Not in the list? Open the deal from the client's card.")
        owners = owner_choices(by)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Manager"),
                queryset=owners,
                required=False,
                empty_label=_("The client's manager"),
                help_text=_("The deal is worked by the client's manager unless you choose another."),
            )
        self.order_fields(self.field_order)


class DealUpdateForm(_DealFieldsForm):
    """The deal's details; past the contract the invoice amount too, which only the head changes, with a reason."""

    def __init__(self, *args: Any, deal: Deal, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if deal.stage in CONCLUDED_STAGES:
            self.fields["invoice_amount"] = MoneyField(
                label=_("Invoice amount, ₽"),
                required=False,
                min_value=Decimal("0"),
                help_text=None if by.is_head else _("After the contract only the sales head changes it."),
            )
            if by.is_head:
                self.fields["invoice_reason"] = forms.CharField(
                    label=_("Why the invoice amount changes"),
                    max_length=500,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.fields[REVISION] = revision_field()

    @classmethod
    def initial_for(cls, deal: Deal) -> dict[str, Any]:
        return {
            "title": deal.title,
            "amount": deal.amount,
            "expected_close_date": deal.expected_close_date,
            "invoice_amount": deal.invoice_amount,
            REVISION: deal.revision,
        }


class DealLineForm(forms.Form):
    """One product line: the price, when left empty, is the catalogue's."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), empty_label="—")
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        localize=True,
    )
    price = MoneyField(label=_("Price, ₽"), required=False, min_value=Decimal("0"))

    def __init__(self, *args: Any, products: QuerySet[Product], choices: list[tuple[Any, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        product_field: forms.ModelChoiceField = self.fields["product"]  # type: ignore[assignment]
        product_field.queryset = products
        # The choices are read once for every line (a formset would otherwise query the catalogue per line).
        product_field.widget.choices = choices
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)


class BaseDealLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict[str, Any]]:
        """The filled lines, ready for the deal services' `products`."""
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("product") or data.get("DELETE"):
                continue
            lines.append({"product": data["product"], "quantity": data["quantity"], "price": data.get("price")})
        return lines


DealLineFormSet = forms.formset_factory(
    DealLineForm,
    formset=BaseDealLineFormSet,
    extra=LINES_EXTRA,
    can_delete=True,
    max_num=LINES_MAX,
    validate_max=True,
    absolute_max=LINES_MAX,
)


def line_formset(data: Any = None, *, by: User, deal: Deal | None = None, extra_new: int = 0) -> BaseDealLineFormSet:
    """The product lines of a deal form: the catalogue's active products, and those already on the deal."""
    kept = Q(pk__in=deal.lines.values("product_id")) if deal is not None else Q(pk__in=[])
    products = Product.objects.visible_to(by).filter(Q(is_active=True) | kept).order_by("name", "pk")
    choices: list[tuple[Any, str]] = [("", "—"), *((p.pk, f"{p.name} · {p.sku}") for p in products)]
    initial = None
    if deal is not None and data is None:
        lines = deal.lines.select_related("product").order_by("id")
        initial = [{"product": line.product_id, "quantity": line.quantity, "price": line.price} for line in lines]
    formset: BaseDealLineFormSet = DealLineFormSet(  # type: ignore[assignment]  # formset_factory's type
        data, initial=initial, prefix="lines", form_kwargs={"products": products, "choices": choices}
    )
    if extra_new:
        formset.extra = extra_new
    return formset
