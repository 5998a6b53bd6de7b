"""The record of every nightly run (DOMAIN.md section 8): when, for which day, each job's time, counts and error."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NightlyRun(models.Model):
    """One night's run of the jobs, for the day `as_of` (started by beat, the command, or the head's catch-up)."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        COMMAND = "command", _("Command")

    as_of = models.DateField(_("for the day"))
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("nightly run")
        verbose_name_plural = _("nightly runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of:%d.%m.%Y} ({self.started_at:%d.%m.%Y %H:%M})"


class NightlyJobRun(models.Model):
    """One job of a run: its last attempt's outcome, how long it took, what it changed, its error."""

    class Status(models.TextChoices):
        OK = "ok", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    run = models.ForeignKey(NightlyRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="jobs")
    name = models.CharField(_("job"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    # The first day of the month whose monthly part (long lists, plan drafts) this job did, when it did it.
    monthly_for = models.DateField(_("monthly part for"), null=True, blank=True)
    seconds = models.DecimalField(_("seconds"), max_digits=9, decimal_places=3, default=0)
    counts = models.JSONField(_("what it changed"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), auto_now=True)

    class Meta:
        verbose_name = _("nightly job run")
        verbose_name_plural = _("nightly job runs")
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="nightly_job_once_per_run")]
        indexes = [models.Index(fields=["name", "status", "monthly_for"], name="nightly_job_monthly")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.name}: {self.status}"
