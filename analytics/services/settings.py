"""The head's analytics numbers (analytics/models/settings.py): one service writes them, with the change log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from analytics.models import AnalyticsSettings
from core.concurrency import lock_for_update
from core.services import model_update
from crm.models import ChangeLog, User
from crm.services.history import changelog_record, snapshot

SETTINGS_FIELDS = (
    "abc_basis",
    "abc_a_share",
    "abc_b_share",
    "xyz_method",
    "xyz_x_months",
    "xyz_y_months",
    "xyz_cv_x",
    "xyz_cv_y",
    "default_profitability",
    "nps_cadence_days",
    "nps_link_days",
    "nps_reminder_days",
    "meetings_norm",
    "proposals_norm",
)


def check_analytics_settings(settings: AnalyticsSettings) -> None:
    """The thresholds must make sense together: A + B at most 100 %, X above Y in months, X below Y in CV."""
    errors: dict[str, list[str]] = {}
    a, b = settings.abc_a_share, settings.abc_b_share
    if a is not None and b is not None and a + b > 100:
        errors["abc_b_share"] = [_("A and B together cannot exceed 100 %.")]
    x, y = settings.xyz_x_months, settings.xyz_y_months
    if x is not None and y is not None and x <= y:
        errors["xyz_x_months"] = [_("X must need more months with a purchase than Y.")]
    cv_x, cv_y = settings.xyz_cv_x, settings.xyz_cv_y
    if cv_x is not None and cv_y is not None and cv_x >= cv_y:
        errors["xyz_cv_x"] = [_("X's coefficient of variation must be below Y's.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def analytics_settings_update(*, by: User, data: dict[str, Any]) -> AnalyticsSettings:
    """Save the head's analytics numbers; every change keeps who, when, the old and the new value."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head or the administrator changes the analytics settings."))
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    settings = AnalyticsSettings.current()
    lock_for_update(settings)
    before = snapshot(settings, list(SETTINGS_FIELDS))

    def clean(obj: AnalyticsSettings) -> None:
        obj.full_clean()
        check_analytics_settings(obj)
        # Decimals as stored ("75.00", not "75"), so the change log compares like with like.
        for name in SETTINGS_FIELDS:
            field = obj._meta.get_field(name)
            if isinstance(field, models.DecimalField):
                value = Decimal(getattr(obj, name))
                setattr(obj, name, value.quantize(Decimal(1).scaleb(-field.decimal_places)))

    model_update(instance=settings, data=data, clean=clean)
    changelog_record(obj=settings, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return settings
