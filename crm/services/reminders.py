"""A user's own reminder settings: how long before a task the bell rings, and whether the morning e-mail comes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, User

from .history import changelog_record, snapshot

REMINDER_FIELDS = ["reminder_minutes", "digest_email"]


@transaction.atomic
def user_reminders_update(*, by: User, user: User, reminder_minutes: int, digest_email: bool) -> User:
    """Change one's own reminder minutes (0 to 1440, 0 = no advance reminder) and the morning digest."""
    if by.pk != user.pk:
        raise PermissionDenied(_("Everyone changes only their own reminder settings."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, REMINDER_FIELDS)
    user.reminder_minutes = reminder_minutes
    user.digest_email = digest_email
    user.clean_fields(exclude=[f.name for f in User._meta.concrete_fields if f.name not in REMINDER_FIELDS])
    user.save(update_fields=[*REMINDER_FIELDS, "updated_at"])
    changelog_record(obj=user, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return user
