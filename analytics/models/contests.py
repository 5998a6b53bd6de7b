"""Sales contests (issue 13 "Contests"; seed 003 #21-22): a metric over a period, its participants with their own
quota, the prizes, and when the results were e-mailed. The status is not stored: it follows the dates and the day
asked about (`Contest.status_on`)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from analytics.rules.contests import Metric, Status, contest_status

__all__ = ["Contest", "ContestParticipant", "Metric", "Status"]


class Contest(models.Model):
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    prizes = models.TextField(_("prizes"), blank=True)
    created_by = models.ForeignKey(
        "crm.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    results_sent_at = models.DateTimeField(_("results e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-start", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="contest_end_after_start")]

    def __str__(self) -> str:
        return self.name

    def status_on(self, as_of: date) -> Status:
        return contest_status(start=self.start, end=self.end, as_of=as_of)


class ContestParticipant(models.Model):
    """A seller in a contest with his own quota of the contest's metric. An empty quota of a "% of plan" contest is
    read from his monthly plans for the period (analytics/selectors/contests.py)."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(
        "crm.User", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="contest_entries"
    )
    quota = models.DecimalField(_("quota"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("contest participant")
        verbose_name_plural = _("contest participants")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contest_participant_unique"),
            models.CheckConstraint(
                condition=Q(quota__gte=0) | Q(quota__isnull=True), name="contest_quota_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest}: {self.user}"
