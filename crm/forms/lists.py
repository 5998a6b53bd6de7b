"""Forms of the head's reference lists: they parse what was typed, crm.services.lists decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import ProductCategory
from crm.rules.stages import PIPELINE, Stage

ACTIVE_HELP = _("Deactivated entries stay on the records that use them but are no longer offered for new work.")


class LostReasonForm(forms.Form):
    name = forms.CharField(label=_("Reason"), max_length=200)
    sort_order = forms.IntegerField(
        label=_("Order in the list"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Reasons with a smaller number come first when a manager picks one."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True, help_text=ACTIVE_HELP)


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Segment"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Which companies belong to the segment and how to find them, so that a new manager can build his "
            "prospect list from it."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True, help_text=ACTIVE_HELP)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category"), max_length=120)
    parent = forms.ModelChoiceField(
        label=_("Parent category"), queryset=ProductCategory.objects.none(), required=False, empty_label=_("None")
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True, help_text=ACTIVE_HELP)

    def __init__(self, *args: Any, category: ProductCategory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = ProductCategory.objects.order_by("name")
        if category is not None:
            parents = parents.exclude(pk=category.pk)
        parent_field: forms.ModelChoiceField = self.fields["parent"]  # type: ignore[assignment]
        parent_field.queryset = parents


class StageProbabilitiesForm(forms.Form):
    """One whole-number field, 0 to 100 %, per stage of the pipeline, named by the stage's code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, code in enumerate(PIPELINE, start=1):
            self.fields[code] = forms.IntegerField(
                label=f"{number}. {Stage(code).label}",
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
            )
