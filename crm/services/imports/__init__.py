"""Import of clients and of sales history: a dry run that reports every bad row, then the confirmed import.

The file formats are described in crm/importing/clients.py, crm/importing/sales.py and docs/import.md.
A job goes validated -> (queued ->) running -> done / failed. Reading and checking the rows happens outside
the import transaction, so the job's progress is visible while it runs; only the final write is atomic.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ChangeLog, Client, ImportJob, User
from crm.services.history import snapshot
from crm.services.imports import client_rows, sale_rows
from crm.services.imports.readers import ColumnMap, Table, check_limits, map_columns, open_table
from crm.services.imports.recovery import import_rearm
from crm.services.ownership import client_owners_set

logger = logging.getLogger(__name__)
IMPORT_TASK = "crm.tasks.run_import_task"
CHECK_TASK = "crm.tasks.check_import_task"

MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 10_000
CLIENT_BATCH_SIZE = 1000
Progress = Callable[[int], None]


def can_import(user: User, kind: str) -> bool:
    """Sales history is loaded by the head and the admin; clients also by the base manager and sellers."""
    if kind == ImportJob.Kind.SALES:
        return user.sees_everything
    return user.works_prospects


@dataclass
class Scan:
    """What one pass over a file found."""

    total: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    new_clients: list[Client] = field(default_factory=list)
    # id() of a new client -> the owner its row names and the day his ownership began
    owners: dict[int, tuple[User, date]] = field(default_factory=dict)

    def add_errors(self, row_number: int, by_field: dict[str, Any], columns: ColumnMap) -> None:
        self.error_count += 1
        for name, messages in by_field.items():
            for message in messages if isinstance(messages, list) else [messages]:
                if len(self.errors) < MAX_STORED_ERRORS:
                    self.errors.append({"row": row_number, "column": columns.label(name), "message": str(message)})


def _scan_clients(table: Table, *, importer: User, today: date, progress: Progress | None = None) -> Scan:
    columns = map_columns(table.headers, client_rows.COLUMNS)
    parser = client_rows.ClientRows(columns=columns, importer=importer, today=today)
    scan = Scan(owners=parser.owners)
    for row_number, values in table.rows:
        scan.total += 1
        client, exists, errors = parser.parse(row_number, values)
        if errors:
            scan.add_errors(row_number, errors, columns)
        elif exists:
            scan.valid += 1
            scan.skipped += 1
        else:
            scan.valid += 1
            scan.new_clients.append(client)  # type: ignore[arg-type]
        if progress and scan.total % PROGRESS_EVERY == 0:
            progress(scan.total)
    return scan


def _scan_sales(
    table: Table, *, writer: sale_rows.SaleWriter | None = None, strict: bool = True, progress: Progress | None = None
) -> Scan:
    """Check every row; valid ones go to `writer` in batches (in strict mode only until the first bad row)."""
    columns = map_columns(table.headers, sale_rows.COLUMNS)
    parser = sale_rows.SaleRows(columns=columns)
    scan = Scan()
    batch: list[sale_rows.SaleRow] = []
    for row_number, values in table.rows:
        scan.total += 1
        row, errors = parser.parse(values)
        if errors:
            scan.add_errors(row_number, errors, columns)
            if strict:
                batch = []
        else:
            scan.valid += 1
            if writer is not None and not (strict and scan.error_count):
                batch.append(row)  # type: ignore[arg-type]
        if scan.total % PROGRESS_EVERY == 0:
            if writer is not None and batch:
                writer.add(batch)
                batch = []
            if progress:
                progress(scan.total)
    if writer is not None and batch and not (strict and scan.error_count):
        writer.add(batch)
    return scan


def _scan(kind: str, table: Table, *, importer: User, today: date, progress: Progress | None = None) -> Scan:
    if kind == ImportJob.Kind.CLIENTS:
        return _scan_clients(table, importer=importer, today=today, progress=progress)
    return _scan_sales(table, progress=progress)


@contextlib.contextmanager
def _binary(uploaded_file: Any) -> Iterator[File]:
    """A Django File for an UploadedFile, a File, a binary file object or a path."""
    if isinstance(uploaded_file, (str, Path)):
        with open(uploaded_file, "rb") as handle:
            yield File(handle, name=os.path.basename(str(uploaded_file)))
    elif isinstance(uploaded_file, File):
        yield uploaded_file
    else:
        yield File(uploaded_file, name=getattr(uploaded_file, "name", None) or "import")


def import_validate(
    *, by: User, kind: str, uploaded_file: Any, strict: bool = True, today: date | None = None
) -> ImportJob:
    """Store the file and check every row (a dry run): errors are counted and kept, nothing else is written."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": [_("Choose what the file holds: clients or sales.")]})
    if not can_import(by, kind):
        raise PermissionDenied(_("You may not import this kind of file."))
    today = today or timezone.localdate()
    with _binary(uploaded_file) as content:
        if (content.size or 0) > settings.CRM_IMPORT_ASYNC_CHECK_BYTES:
            return _check_later(content, kind=kind, strict=strict, by=by)
        with open_table(content) as table:
            scan = _scan(kind, table, importer=by, today=today)
            file_format, encoding, delimiter = table.format, table.encoding, table.delimiter
        if scan.total == 0:
            raise ValidationError({"file": [_("The file has column names but no rows.")]})
        name = os.path.basename(content.name or "")[:200] or f"import.{file_format}"
        job = ImportJob(
            kind=kind,
            strict=strict,
            original_name=name,
            encoding=encoding,
            delimiter=delimiter,
            total_rows=scan.total,
            valid_rows=scan.valid,
            error_count=scan.error_count,
            errors=scan.errors,
            message=_("Checked: %(total)s rows, %(valid)s valid, %(errors)s with errors.")
            % {"total": scan.total, "valid": scan.valid, "errors": scan.error_count},
            created_by=by,
        )
        content.seek(0)
        job.file.save(name, content, save=False)
    job.save()
    return job


def _check_later(content: File, *, kind: str, strict: bool, by: User) -> ImportJob:
    """A large file: what needs no reading is checked now (its size, an XLSX's zip directory), the file is stored,
    and the dry run goes to a Celery task that reports its progress (`import_check`); the request returns at once."""
    check_limits(content)
    name = os.path.basename(content.name or "")[:200] or "import"
    job = ImportJob(
        kind=kind,
        strict=strict,
        original_name=name,
        status=ImportJob.Status.CHECKING,
        message=_("Checking the file in the background…"),
        created_by=by,
    )
    content.seek(0)
    job.file.save(name, content, save=False)
    job.save()
    task = current_app.tasks[CHECK_TASK]
    transaction.on_commit(partial(task.delay, job.pk))
    return job


def import_check(*, job: ImportJob, today: date | None = None) -> ImportJob:
    """The dry run of a stored file (a large upload): every row checked, progress reported, nothing else written."""
    if job.status != ImportJob.Status.CHECKING:
        return job
    today = today or timezone.localdate()
    try:
        with job.file.open("rb") as content, open_table(content) as table:
            scan = _scan(
                job.kind, table, importer=job.created_by, today=today, progress=partial(_report_progress, job.pk)
            )
            encoding, delimiter = table.encoding, table.delimiter
    except (ValidationError, OSError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _fail(job, Scan(), message=_("The file cannot be read: %(error)s") % {"error": " ".join(messages)})
        job.refresh_from_db()
        return job
    if scan.total == 0:
        _fail(job, Scan(), message=_("The file has column names but no rows."))
        job.refresh_from_db()
        return job
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
        status=ImportJob.Status.VALIDATED,
        encoding=encoding,
        delimiter=delimiter,
        total_rows=scan.total,
        valid_rows=scan.valid,
        processed_rows=0,
        error_count=scan.error_count,
        errors=scan.errors,
        message=_("Checked: %(total)s rows, %(valid)s valid, %(errors)s with errors.")
        % {"total": scan.total, "valid": scan.valid, "errors": scan.error_count},
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def import_run(*, job: ImportJob, by: User, today: date | None = None) -> ImportJob:
    """Start the confirmed import: small files at once, large ones (CRM_IMPORT_ASYNC_ROWS) as a Celery task."""
    if not can_import(by, job.kind) or not ImportJob.objects.visible_to(by).filter(pk=job.pk).exists():
        raise PermissionDenied(_("You may not run this import."))
    job.refresh_from_db()
    import_rearm(job)  # an import whose worker died runs again from its checked file
    if job.status != ImportJob.Status.VALIDATED:
        raise ValidationError({"status": [_("This import has already been started.")]})
    if job.strict and job.error_count:
        raise ValidationError(
            {
                "file": [
                    _("The check found errors in %(count)s rows: fix the file and upload it again.")
                    % {"count": job.error_count}
                ]
            }
        )
    if not job.valid_rows:
        raise ValidationError({"file": [_("The file has no rows that can be imported.")]})
    if job.total_rows > settings.CRM_IMPORT_ASYNC_ROWS:
        queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
            status=ImportJob.Status.QUEUED, updated_at=timezone.now()
        )
        if not queued:
            raise ValidationError({"status": [_("This import has already been started.")]})
        # By name, so that this service and the task that calls it do not import each other.
        task = current_app.tasks[IMPORT_TASK]
        transaction.on_commit(partial(task.delay, job.pk, by.pk))
        job.refresh_from_db()
        return job
    job = import_execute(job=job, by=by, today=today)
    if job.status not in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        raise ValidationError({"status": [_("This import has already been started.")]})
    return job


def import_execute(*, job: ImportJob, by: User, today: date | None = None) -> ImportJob:
    """Run a validated or queued job to the end; a job that someone else already runs is left alone."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.VALIDATED, ImportJob.Status.QUEUED]
    ).update(status=ImportJob.Status.RUNNING, started_at=now, processed_rows=0, updated_at=now)
    job.refresh_from_db()
    if not claimed:
        return job
    today = today or timezone.localdate()
    try:
        if job.kind == ImportJob.Kind.CLIENTS:
            _execute_clients(job, by=by, today=today)
        else:
            _execute_sales(job)
    except (ValidationError, OSError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _fail(job, Scan(), message=_("The file cannot be read: %(error)s") % {"error": " ".join(messages)})
    except DatabaseError as exc:
        logger.exception("Import %s failed in the database", job.pk)
        _fail(job, Scan(), message=_("The import failed and nothing was written: %(error)s") % {"error": exc})
    except Exception:
        # Never leave a job "running" for ever; the error itself goes on to the caller or the task's log.
        _fail(job, Scan(), message=_("The import failed and nothing was written."))
        raise
    job.refresh_from_db()
    return job


def _report_progress(job_id: int, processed: int) -> None:
    # Outside the import transaction: commits at once, so the API shows it while the import runs.
    ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, updated_at=timezone.now())


def _fail(job: ImportJob, scan: Scan, *, message: str) -> None:
    fields = {"status": ImportJob.Status.FAILED, "finished_at": timezone.now(), "message": message}
    if scan.total:
        fields |= {
            "total_rows": scan.total,
            "valid_rows": scan.valid,
            "processed_rows": scan.total,
            "error_count": scan.error_count,
            "errors": scan.errors,
        }
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _fail_on_errors(job: ImportJob, scan: Scan) -> bool:
    if job.strict and scan.error_count:
        message = _("Nothing was imported: %(count)s rows have errors.") % {"count": scan.error_count}
        _fail(job, scan, message=message)
        return True
    return False


def _finish(job: ImportJob, scan: Scan, *, created: int) -> None:
    skipped = scan.valid - created
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.total_rows = job.processed_rows = scan.total
    job.valid_rows = scan.valid
    job.error_count = scan.error_count
    job.errors = scan.errors
    job.created_count = created
    job.skipped_count = skipped
    job.message = _("Added: %(created)s. Already present: %(skipped)s. Rows with errors: %(errors)s.") % {
        "created": created,
        "skipped": skipped,
        "errors": scan.error_count,
    }
    job.save()


def _execute_clients(job: ImportJob, *, by: User, today: date) -> None:
    # The ownership rules are those of whoever uploaded the file; the confirming user is recorded as the actor.
    with job.file.open("rb") as handle, open_table(handle) as table:
        scan = _scan_clients(table, importer=job.created_by, today=today, progress=partial(_report_progress, job.pk))
    if _fail_on_errors(job, scan):
        return
    with transaction.atomic():
        # Someone may have added one of these clients since the check; such rows count as present.
        existing = client_rows.existing_client_keys()
        fresh = [
            c
            for c in scan.new_clients
            if client_rows.client_key(c.inn, c.kpp, c.normalized_name, c.phone) not in existing
        ]
        # The clients are written without owners, then handed to them by the one ownership service.
        groups: dict[tuple[int, date], tuple[User, date, list[Client]]] = {}
        for c in fresh:
            if (ownership := scan.owners.get(id(c))) is not None:
                owner, since = ownership
                groups.setdefault((owner.pk, since), (owner, since, []))[2].append(c)
        Client.objects.bulk_create(fresh, batch_size=CLIENT_BATCH_SIZE)
        reason = _("Client imported from %(file)s") % {"file": job.original_name}
        for owner, since, clients in groups.values():
            client_owners_set(clients=clients, to_owner=owner, by=by, reason=reason, today=since, log=False)
        content_type = ContentType.objects.get_for_model(Client)
        ChangeLog.objects.bulk_create(
            [
                ChangeLog(
                    content_type=content_type,
                    object_id=c.pk,
                    action=ChangeLog.Action.CREATE,
                    changes={k: [None, v] for k, v in snapshot(c).items()},
                    by=by,
                )
                for c in fresh
            ],
            batch_size=CLIENT_BATCH_SIZE,
        )
        _finish(job, scan, created=len(fresh))


def _execute_sales(job: ImportJob) -> None:
    writer = sale_rows.sale_writer(job.pk)
    try:
        with job.file.open("rb") as handle, open_table(handle) as table:
            scan = _scan_sales(table, writer=writer, strict=job.strict, progress=partial(_report_progress, job.pk))
        if _fail_on_errors(job, scan):
            return
        with transaction.atomic():
            created = writer.flush()
            _finish(job, scan, created=created)
    finally:
        with contextlib.suppress(DatabaseError):
            writer.close()
