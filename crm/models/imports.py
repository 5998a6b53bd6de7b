from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .users import User


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: User) -> ImportJobQuerySet:
        if user.sees_everything:
            return self
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """An uploaded file of clients or sales lines: checked in a dry run, then imported all-or-nothing."""

    class Kind(models.TextChoices):
        CLIENTS = "clients", _("Clients")
        SALES = "sales", _("Sales history")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        VALIDATED = "validated", _("Checked")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    strict = models.BooleanField(
        _("strict"), default=True, help_text=_("Strict: any bad row stops the whole import and nothing is written.")
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("added"), default=0)
    skipped_count = models.PositiveIntegerField(_("already present"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Failed because its worker stopped (no progress for CRM_IMPORT_STALE_MINUTES): nothing was written, and the
    # same checked file may be run again.
    interrupted = models.BooleanField(_("interrupted"), default=False)
    created_by = models.ForeignKey("crm.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress(self) -> int:
        """Per cent done, for a progress bar."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
