"""The reassignment queue's filters (shared by the page and the API) and the head's decision forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.filters import DECIDED
from crm.models import Reassignment, User


class QueueFilterForm(forms.Form):
    """The page's tabs: waiting for the head, extended, or the history of decisions."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Reassignment.Status.PENDING, _("Waiting for a decision")),
            (Reassignment.Status.EXTENDED, _("Extended")),
            (DECIDED, _("History of decisions")),
        ],
    )


class ReassignForm(forms.Form):
    """Choose the new manager among the suggestions (lightest load first) and say why."""

    owner = forms.TypedChoiceField(label=_("New manager"), coerce=int)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"placeholder": _("Why the client moves")})
    )

    def __init__(self, *args: Any, suggestions: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = {user.pk: user for user in suggestions}
        owner: forms.TypedChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owner.choices = [("", _("Choose a manager"))] + [
            (user.pk, _("%(name)s, clients: %(load)s") % {"name": user, "load": getattr(user, "load", 0)})
            for user in suggestions
        ]

    def clean_owner(self) -> User:
        return self.suggestions[self.cleaned_data["owner"]]


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Why the manager keeps the client")}),
    )


class BulkDecisionForm(forms.Form):
    """The queue's bulk bar (its checkboxes, `flags`, are in the rows): reassign the selected flags to one manager,
    spread them over the lightest-loaded managers, or extend them."""

    REASSIGN, SPREAD, EXTEND = "reassign", "spread", "extend"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (REASSIGN, _("Reassign to one manager")),
            (SPREAD, _("Spread over the lightest-loaded managers")),
            (EXTEND, _("Extend")),
        ],
    )
    owner = forms.TypedChoiceField(label=_("New manager"), coerce=int, required=False, empty_value=None)
    managers = forms.TypedMultipleChoiceField(
        label=_("Spread over"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("None chosen: every sales manager and team lead."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"placeholder": _("Why the clients move")})
    )

    def __init__(self, *args: Any, sellers: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sellers = {user.pk: user for user in sellers}
        labelled = [
            (user.pk, _("%(name)s, clients: %(load)s") % {"name": user, "load": getattr(user, "load", 0)})
            for user in sellers
        ]
        owner: forms.TypedChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owner.choices = [("", _("Choose a manager")), *labelled]
        managers: forms.TypedMultipleChoiceField = self.fields["managers"]  # type: ignore[assignment]
        managers.choices = labelled

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.REASSIGN and not data.get("owner"):
            self.add_error("owner", _("Choose the manager who takes the clients."))
        return data

    @property
    def chosen_owner(self) -> User:
        return self.sellers[self.cleaned_data["owner"]]

    @property
    def chosen_managers(self) -> list[User]:
        picked = self.cleaned_data.get("managers") or list(self.sellers)
        return [self.sellers[pk] for pk in picked]
