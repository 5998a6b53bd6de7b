"""The record of every nightly run (DOMAIN.md section 8): when, for which day, each job's time, counts and error."""

from __future__ import annotations

from django.conf import settings
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


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed to the same user's repeats (docs/api.md).

    Saved before the request runs, with no status yet: a repeat that arrives meanwhile finds it and answers 409. The
    answer is stored when it comes, unless it is one a retry may change (5xx, 401, 403, 408, 409, 412, 429): then the
    record goes and the key is free again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    body_sha256 = models.CharField(_("body SHA-256"), max_length=64)
    # None while the first request is still being processed.
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    body = models.BinaryField(_("answer"), default=b"")
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}: {self.status_code or '...'}"
