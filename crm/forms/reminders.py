"""A user's own settings page: how long before a task the bell reminds him, and the morning e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import User

MAX_REMINDER_MINUTES = 24 * 60


class MySettingsForm(forms.Form):
    reminder_minutes = forms.IntegerField(
        label=_("Remind me before a task, minutes"),
        min_value=0,
        max_value=MAX_REMINDER_MINUTES,
        help_text=_("From 1 to 1440; 0 turns the advance reminder off (overdue tasks are always shown)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    digest_email = forms.BooleanField(
        label=_("Send me the morning e-mail digest"),
        required=False,
        help_text=_("Overdue tasks and deals without a next step, every working morning at 08:30."),
    )

    @classmethod
    def of(cls, user: User) -> MySettingsForm:
        return cls(initial={"reminder_minutes": user.reminder_minutes, "digest_email": user.digest_email})
