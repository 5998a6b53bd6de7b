"""An import whose worker died (issue 10): marked failed with the reason after CRM_IMPORT_STALE_MINUTES without
progress, nothing written, and confirmed again it runs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from crm.models import Client, ImportJob
from crm.services.imports import import_run, import_validate
from crm.services.imports.recovery import imports_stale_fail

pytestmark = pytest.mark.django_db

CSV = "Наименование;ИНН\nООО Ромашка;7707083893\n".encode("cp1251")


def checked_job(head):
    upload = ContentFile(CSV, name="clients.csv")
    return import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=upload, strict=True)


def killed(job, minutes):
    """What a worker killed with -9 leaves: the job running, its last progress `minutes` ago, nothing written."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, updated_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_job_without_progress_for_the_stale_minutes_is_failed_with_the_reason(head, settings):
    settings.CRM_IMPORT_STALE_MINUTES = 30
    fresh, dead = checked_job(head), checked_job(head)
    killed(fresh, 5)
    killed(dead, 31)

    assert imports_stale_fail() == 1

    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert (dead.status, dead.interrupted) == (ImportJob.Status.FAILED, True)
    assert "30" in dead.message
    assert fresh.status == ImportJob.Status.RUNNING
    assert not Client.objects.exists()


def test_an_interrupted_job_is_confirmed_again_and_imports(head):
    job = checked_job(head)
    killed(job, 120)
    imports_stale_fail()

    job = import_run(job=ImportJob.objects.get(pk=job.pk), by=head)

    assert job.status == ImportJob.Status.DONE
    assert Client.objects.filter(inn="7707083893").count() == 1


def test_the_import_page_shows_a_dead_job_as_failed_and_offers_to_confirm_it(client, head):
    job = checked_job(head)
    killed(job, 120)
    client.force_login(head)

    page = client.get(reverse("import_detail", args=[job.pk]))

    assert page.status_code == 200
    assert 'data-testid="import-confirm"' in page.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED
    assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE


def test_a_job_that_really_failed_is_not_run_again(head):
    job = checked_job(head)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message="broken file")
    with pytest.raises(ValidationError) as refused:
        import_run(job=ImportJob.objects.get(pk=job.pk), by=head)
    assert set(refused.value.message_dict) == {"status"}
