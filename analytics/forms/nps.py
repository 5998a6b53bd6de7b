"""The NPS forms: the contact's own answer behind the link, and the answer an employee types in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import NpsAnswer
from crm.models import Client, ContactPerson

SCORES = [(score, str(score)) for score in range(11)]


class LinkAnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your score"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("Choose a score from 0 to 10."),
        },
    )
    comment = forms.CharField(
        label=_("What is the main reason for your score?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    via = forms.CharField(required=False, widget=forms.HiddenInput)


class TypedAnswerForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    score = forms.TypedChoiceField(
        label=_("Score"), choices=SCORES, coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    channel = forms.ChoiceField(
        label=_("Where the answer was given"),
        choices=[(c.value, c.label) for c in (NpsAnswer.Channel.OFFICE, NpsAnswer.Channel.PHONE)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    answered_on = forms.DateField(
        label=_("Answered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = ContactPerson.objects.filter(client=client).order_by("full_name", "pk")
