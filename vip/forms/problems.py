"""Page forms of the problem register: input parsing only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vip.models import Problem


class ProblemDetailsForm(forms.Form):
    what = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}))
    since = forms.CharField(label=_("Since when"), max_length=200, required=False)
    impact = forms.CharField(
        label=_("How it hurts the client"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    witnesses = forms.CharField(label=_("Who saw it"), max_length=500, required=False)
    contacts = forms.CharField(label=_("Contacts"), max_length=500, required=False)
    contact_email = forms.EmailField(label=_("Client's e-mail for the confirmation link"), required=False)


class CallConfirmForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("What the client said"),
        choices=[("ok", _("All is well")), ("remains", _("The problem remains"))],
        widget=forms.RadioSelect,
    )
    words = forms.CharField(label=_("The client's words"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClientAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("ok", "ok"), ("remains", "remains")])
    words = forms.CharField(
        label=_("Comment (if you wish)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProblemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("unresolved", _("Not closed")), *Problem.Status.choices],
    )
    client = forms.CharField(label=_("Client"), required=False, max_length=200)
