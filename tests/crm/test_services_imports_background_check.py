"""A large upload's dry run runs as a Celery task with progress, never inside the request (issue 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from crm.models import Client, ImportJob
from crm.services.imports import import_run, import_validate

pytestmark = pytest.mark.django_db

HEADER = "Наименование;ИНН\n"
ROWS = ["ООО Ромашка;7707083893\n", "ООО Лютик;7736207543\n", "Без ИНН;12345\n"]


def big_file():
    return ContentFile((HEADER + "".join(ROWS)).encode("cp1251"), name="clients.csv")


def test_a_large_upload_is_stored_and_checked_by_a_task_then_confirmed(
    head, settings, django_capture_on_commit_callbacks
):
    settings.CRM_IMPORT_ASYNC_CHECK_BYTES = 10  # any real file is "large" here
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=big_file(), strict=False)
    # The request returns before a single row is read.
    assert (job.status, job.total_rows, len(callbacks)) == (ImportJob.Status.CHECKING, 0, 1)

    callbacks[0]()  # the Celery task (eager in the tests)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_count) == (3, 2, 1)
    assert import_run(job=job, by=head).status == ImportJob.Status.DONE
    assert Client.objects.count() == 2


def test_the_progress_fragment_says_checking_and_reloads_the_page_when_done(client, head, settings):
    settings.CRM_IMPORT_ASYNC_CHECK_BYTES = 10
    client.force_login(head)
    job = import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=big_file(), strict=False)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=2)

    checking = client.get(reverse("import_progress", args=[job.pk]))
    assert checking.status_code == 200 and 'data-status="checking"' in checking.content.decode()
    assert "HX-Refresh" not in checking

    from crm.services.imports import import_check

    import_check(job=ImportJob.objects.get(pk=job.pk))
    done = client.get(reverse("import_progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true"


def test_what_needs_no_reading_is_still_refused_in_the_request(head, settings):
    settings.CRM_IMPORT_ASYNC_CHECK_BYTES = 10
    settings.CRM_IMPORT_MAX_BYTES = 20
    with pytest.raises(ValidationError):
        import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=big_file(), strict=False)
    assert not ImportJob.objects.exists()


def test_an_unreadable_large_file_fails_with_the_reason(head, settings):
    settings.CRM_IMPORT_ASYNC_CHECK_BYTES = 10
    upload = ContentFile(b"\xff\xfe\x00garbage" * 10, name="x.csv")
    job = import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=upload, strict=False)
    from crm.services.imports import import_check

    job = import_check(job=job)
    assert job.status == ImportJob.Status.FAILED and job.message
