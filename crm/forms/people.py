"""Forms of the server-rendered pages; they parse input, the services in crm/services/ decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Role, Team, User
from crm.services.people import may_manage_admins

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def add_service_errors(form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: under the field it names, else above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def role_choices(by: User) -> list[tuple[str, StrOrPromise]]:
    """Roles the acting user may give: only an administrator makes administrators."""
    return [(value, label) for value, label in Role.choices if value != Role.ADMIN or may_manage_admins(by)]


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.all(), empty_label=_("All teams")
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Everyone")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class _UserFieldsForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    middle_name = forms.CharField(label=_("Middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("No team"),
        help_text=_("Sales managers and team leads work in a team; other roles usually have none."),
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field: forms.ChoiceField = self.fields["role"]  # type: ignore[assignment]
        role_field.choices = role_choices(by)


class UserCreateForm(_UserFieldsForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to log in: letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again."),
    )

    field_order = [
        "username",
        "last_name",
        "first_name",
        "middle_name",
        "email",
        "phone",
        "role",
        "team",
        "password",
        "password_confirm",
    ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords do not match."))
        return cleaned


class UserUpdateForm(_UserFieldsForm):
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("A deactivated user cannot log in; their data stays.")
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    lead = forms.ModelChoiceField(
        label=_("Team lead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No lead"),
        help_text=_(
            "Chosen among the team's sales managers and the managers without a team. "
            "The lead joins the team with the team-lead role; a replaced lead becomes a sales manager."
        ),
    )

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = Q(team__isnull=True) if team is None else Q(team=team) | Q(team__isnull=True)
        if team is not None and team.lead_id:
            candidates |= Q(pk=team.lead_id)
        lead_field: forms.ModelChoiceField = self.fields["lead"]  # type: ignore[assignment]
        lead_field.queryset = User.objects.sellers().filter(candidates).select_related("team")
