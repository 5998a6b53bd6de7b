"""Writes to users and teams: the head and the admin manage the people of the department."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Role, Team, User

from .auth import user_tokens_revoke
from .history import changelog_record, snapshot

# What a user record may have changed after creation; the password changes only through its own flow.
USER_UPDATE_FIELDS = ("first_name", "last_name", "middle_name", "email", "phone", "role", "team", "is_active")
USER_LOGGED_FIELDS = ["first_name", "last_name", "middle_name", "email", "phone", "role", "team_id", "is_active"]
TEAM_FIELDS = ("name", "lead")


def may_manage_admins(by: User) -> bool:
    """Only an administrator creates, changes or appoints administrators."""
    return by.is_admin


def _check_manager(by: User) -> None:
    if not by.manages_people:
        raise PermissionDenied(_("Only the sales head or the administrator manages users and teams."))


def _check_email_free(email: str, exclude_pk: int | None) -> None:
    if email and User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        raise ValidationError({"email": [_("A user with this e-mail already exists.")]})


def _leave_led_teams(*, by: User, user: User, keep: Team | None) -> None:
    """A user who is no longer a team's lead (moved, re-roled or deactivated) stops leading it."""
    led = Team.objects.filter(lead=user)
    if keep is not None:
        led = led.exclude(pk=keep.pk)
    for team in led:
        before = snapshot(team, ["lead_id"])
        team.lead = None
        team.save(update_fields=["lead", "updated_at"])
        changelog_record(obj=team, by=by, action=ChangeLog.Action.UPDATE, before=before)


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    middle_name: str = "",
    email: str = "",
    phone: str = "",
    team: Team | None = None,
) -> User:
    """Create an active user; the password passes Django's password validation."""
    _check_manager(by)
    if role == Role.ADMIN and not may_manage_admins(by):
        raise ValidationError({"role": [_("Only an administrator may create another administrator.")]})
    user = User(
        username=(username or "").strip(),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        middle_name=(middle_name or "").strip(),
        email=User.objects.normalize_email((email or "").strip()),
        phone=(phone or "").strip(),
        role=role,
        team=team,
        is_active=True,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password", "last_login", "date_joined"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_email_free(user.email, None)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password or "", user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    changelog_record(obj=user, by=by, action=ChangeLog.Action.CREATE, before=dict.fromkeys(USER_LOGGED_FIELDS))
    return user


@transaction.atomic
def user_update(*, by: User, user: User, data: dict[str, Any]) -> User:
    """Change a user's names, contacts, role, team or activity; never the password."""
    _check_manager(by)
    unknown = set(data) - set(USER_UPDATE_FIELDS)
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    if not may_manage_admins(by):
        if user.is_admin:
            raise PermissionDenied(_("Only an administrator changes administrators."))
        if data.get("role") == Role.ADMIN:
            raise ValidationError({"role": [_("Only an administrator may make someone an administrator.")]})
    if user.pk == by.pk:
        if "role" in data and data["role"] != user.role:
            raise ValidationError({"role": [_("You cannot change your own role.")]})
        if "is_active" in data and not data["is_active"]:
            raise ValidationError({"is_active": [_("You cannot deactivate yourself.")]})
    before = snapshot(user, USER_LOGGED_FIELDS)
    was_active = user.is_active
    for field, value in data.items():
        if isinstance(value, str) and field != "role":
            value = value.strip()
        setattr(user, field, value)
    if "email" in data:
        user.email = User.objects.normalize_email(user.email)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password", "last_login", "date_joined"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_email_free(user.email, user.pk)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user.save()
    if was_active and not user.is_active:
        user_tokens_revoke(user=user)
    still_leads = user.is_active and user.is_team_lead
    _leave_led_teams(by=by, user=user, keep=user.team if still_leads else None)
    changelog_record(obj=user, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return user


def user_set_active(*, by: User, user: User, is_active: bool) -> User:
    """Deactivate (the user can no longer log in, his refresh tokens are revoked; his data stays) or activate."""
    return user_update(by=by, user=user, data={"is_active": is_active})


def _appoint_lead(*, by: User, team: Team, lead: User | None, previous: User | None) -> None:
    """The lead joins the team with the team-lead role; a replaced lead of this team becomes a manager."""
    if lead is not None:
        if not lead.is_active or not lead.is_seller:
            raise ValidationError({"lead": [_("Only an active sales manager or team lead can lead a team.")]})
        if Team.objects.filter(lead=lead).exclude(pk=team.pk).exists():
            raise ValidationError({"lead": [_("This person already leads another team.")]})
        if lead.team_id != team.pk or not lead.is_team_lead:
            before = snapshot(lead, USER_LOGGED_FIELDS)
            lead.team = team
            lead.role = Role.TEAM_LEAD
            lead.save(update_fields=["team", "role", "updated_at"])
            changelog_record(obj=lead, by=by, action=ChangeLog.Action.UPDATE, before=before)
    if previous is not None and previous != lead and previous.team_id == team.pk and previous.is_team_lead:
        # Left as team lead, the old lead would keep seeing the whole team's clients and deals.
        before = snapshot(previous, USER_LOGGED_FIELDS)
        previous.role = Role.MANAGER
        previous.save(update_fields=["role", "updated_at"])
        changelog_record(obj=previous, by=by, action=ChangeLog.Action.UPDATE, before=before)


@transaction.atomic
def team_create(*, by: User, name: str, lead: User | None = None) -> Team:
    """Create a team; a chosen lead moves into it as its team lead."""
    _check_manager(by)
    team = Team(name=(name or "").strip())
    team.full_clean(exclude=["lead"])
    team.save()
    if lead is not None:
        _appoint_lead(by=by, team=team, lead=lead, previous=None)
        team.lead = lead
        team.save(update_fields=["lead", "updated_at"])
    changelog_record(obj=team, by=by, action=ChangeLog.Action.CREATE, before={"name": None, "lead_id": None})
    return team


@transaction.atomic
def team_update(*, by: User, team: Team, data: dict[str, Any]) -> Team:
    """Rename a team or change its lead (the lead must be an active seller; see `_appoint_lead`)."""
    _check_manager(by)
    unknown = set(data) - set(TEAM_FIELDS)
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in sorted(unknown)})
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = snapshot(team, ["name", "lead_id"])
    previous = team.lead
    if "name" in data:
        team.name = (data["name"] or "").strip()
    team.full_clean(exclude=["lead"])
    if "lead" in data and data["lead"] != previous:
        _appoint_lead(by=by, team=team, lead=data["lead"], previous=previous)
        team.lead = data["lead"]
    team.save()
    changelog_record(obj=team, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return team
