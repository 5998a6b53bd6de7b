"""The head corrects the production calendar: a day made working or a day off, or the correction removed."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ChangeLog, User, WorkingDayOverride
from crm.services.history import changelog_record


def _head_only(by: User) -> None:
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head corrects the working calendar."))


@transaction.atomic
def working_day_set(*, by: User, day: date, is_working: bool, note: str = "") -> WorkingDayOverride:
    """Make `day` a working day or a day off from the next computation on (a second call for the day replaces it)."""
    _head_only(by)
    override, created = WorkingDayOverride.objects.update_or_create(
        day=day, defaults={"is_working": is_working, "note": note.strip(), "by": by}
    )
    changelog_record(obj=override, by=by, action=ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE)
    return override


@transaction.atomic
def working_day_reset(*, by: User, day: date) -> int:
    """Remove the correction of `day`: the production calendar decides again. Returns how many were removed."""
    _head_only(by)
    removed, _detail = WorkingDayOverride.objects.filter(day=day).delete()
    return removed
