"""Recording who changed what: one place for the change log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext

from crm.models import ChangeLog, User
from crm.services.webhooks import webhooks_announce_change


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (Decimal, date, datetime, UUID)):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, as JSON-safe values, to diff after a change."""
    names = fields or [
        f.attname for f in obj._meta.concrete_fields if f.attname not in ("updated_at", "created_at", "revision")
    ]
    return {name: _plain(getattr(obj, name)) for name in names}


def changelog_record(
    *,
    obj: models.Model,
    by: User | None,
    action: str,
    before: dict[str, Any] | None = None,
    extra: dict[str, list[Any]] | None = None,
) -> ChangeLog | None:
    """Write the field-by-field difference between `before` and the object now; nothing if nothing changed.
    `extra`: changes that are not the object's fields (a deal's product lines), as `{name: [before, after]}`."""
    after = snapshot(obj, list(before) if before else None)
    if action == ChangeLog.Action.UPDATE:
        changes = {
            k: [before.get(k) if before else None, v] for k, v in after.items() if not before or before.get(k) != v
        }
        changes.update({k: pair for k, pair in (extra or {}).items() if pair[0] != pair[1]})
        if not changes:
            return None
    else:
        changes = {k: [None, v] for k, v in after.items()}
        changes.update(extra or {})
    log = ChangeLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        action=action,
        changes=changes,
        by=by if by is not None and by.pk else None,
    )
    # Every write of a client, deal or activity is recorded here: the one place integrations hear of it.
    webhooks_announce_change(obj=obj, action=action, changes=changes, by=log.by, at=log.at)
    return log


def last_change(obj: models.Model) -> ChangeLog | None:
    """The latest change-log row of `obj` (who and when), or None."""
    return (
        ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def stale_text(obj: models.Model) -> str:
    """Why an edit based on an older revision of `obj` is refused: who changed it and when, in the user's words."""
    log = last_change(obj)
    if log is None:
        return gettext("Someone changed this record after you opened it. Look at it again and repeat your change.")
    who = str(log.by) if log.by else gettext("the nightly run")
    when = timezone.localtime(log.at).strftime("%d.%m.%Y %H:%M")
    return gettext(
        "Changed by %(who)s at %(when)s after you opened it. Look at the values now and repeat your change."
    ) % {"who": who, "when": when}
