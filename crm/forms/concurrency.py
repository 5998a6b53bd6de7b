"""Edit forms carry the revision they were opened at; a stale one says who changed what and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _

from crm.services.history import stale_text

REVISION = "revision"


def revision_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def mark_stale(form: forms.BaseForm, current: models.Model) -> None:
    """Refuse the form's save on a row changed since it was opened: who changed it and when, and for each field
    that differs the value now next to the user's. What he typed stays; the hidden revision moves to the row's
    revision now, so saving again is his informed decision."""
    data: Any = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[REVISION] = str(getattr(current, REVISION))
    form.data = data
    form.add_error(None, stale_text(current))
    for name, typed in list(form.cleaned_data.items()):
        if name == REVISION or not hasattr(current, name):
            continue
        now = getattr(current, name)
        if _plain(now) != _plain(typed):
            form.add_error(name, _("Now: %(now)s. Yours: %(typed)s.") % {"now": _shown(now), "typed": _shown(typed)})


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
