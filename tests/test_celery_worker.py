"""A real Celery worker, started as a separate process, runs the nightly task sent through Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection

from crm.models import Client
from salesdept.celery import app as celery_app
from salesdept.models import NightlyRun
from salesdept.nightly import NIGHTLY_JOBS
from salesdept.tasks import run_nightly_task
from tests.crm.factories import ClientFactory, SaleLineFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
TIMEOUT = 60


def worker_database_url() -> str:
    """The URL of the database pytest-django created, so the worker reads and writes the same one."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{'@' if credentials else ''}{host}{port}/{quote(db['NAME'], safe='')}"


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no worker log)"


@pytest.fixture
def worker_queue(transactional_db, tmp_path):
    """Start a worker on a queue of its own; stop it (and everything it started) when the test ends."""
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "salesdept.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_DATABASE_URL": worker_database_url(),
        "TEST_REDIS_URL": settings.CELERY_BROKER_URL,
        "PYTHONPATH": str(BASE_DIR),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "salesdept", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    # The app reads its settings with the CELERY_ namespace; this process must send the task, not run it.
    eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    try:
        deadline = time.monotonic() + TIMEOUT
        while "ready." not in log.read_text(errors="replace"):
            assert worker.poll() is None, f"the worker exited with {worker.returncode}:\n{_log_tail(log)}"
            assert time.monotonic() < deadline, f"the worker was not ready in {TIMEOUT} s:\n{_log_tail(log)}"
            time.sleep(0.2)
        yield queue, worker, log
    finally:
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=15)


def test_a_real_worker_runs_the_nightly_task_sent_through_redis(worker_queue, manager):
    queue, worker, log = worker_queue
    lost = ClientFactory(owner=manager, status=Client.Status.ACTIVE)
    SaleLineFactory(client=lost, date=date(2025, 10, 1))
    active = ClientFactory(owner=manager, status=Client.Status.PROSPECT)
    SaleLineFactory(client=active, date=date(2026, 5, 20))

    result = run_nightly_task.apply_async(kwargs={"as_of": "2026-06-10"}, queue=queue)

    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            outcome = result.get(timeout=1)
            break
        except CeleryTimeout:
            assert worker.poll() is None, f"the worker died:\n{_log_tail(log)}"
            assert time.monotonic() < deadline, f"no result in {TIMEOUT} s:\n{_log_tail(log)}"
    # The task sent one task per job, in a chain, to the same queue; the run is finished when the last one ran.
    run = NightlyRun.objects.get(pk=outcome["run"])
    while run.finished_at is None:
        assert worker.poll() is None, f"the worker died:\n{_log_tail(log)}"
        assert time.monotonic() < deadline, f"the chain did not finish in {TIMEOUT} s:\n{_log_tail(log)}"
        time.sleep(0.2)
        run.refresh_from_db()
    jobs = {job.name: job for job in run.jobs.all()}
    assert {name: job.status for name, job in jobs.items()} == {job.name: "ok" for job in NIGHTLY_JOBS}
    assert jobs["client_statuses_refresh"].counts == {
        "became_prospect": 0,
        "became_active": 1,
        "became_lost": 1,
        "freed": 0,
    }  # fmt: skip  (owned since 1 January 2026, after its last purchase: its owner did not lose it)
    lost.refresh_from_db()
    active.refresh_from_db()
    assert (lost.status, active.status) == (Client.Status.LOST, Client.Status.ACTIVE)
    assert f"Task salesdept.tasks.run_nightly_task[{result.id}] succeeded" in log.read_text(errors="replace")


def test_an_import_whose_worker_is_killed_writes_nothing_is_failed_and_runs_again(worker_queue, head, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from crm.models import ImportJob
    from crm.services.imports import import_run, import_validate
    from crm.services.imports.recovery import imports_stale_fail
    from crm.tasks import run_import_task
    from tests.crm.factories import make_inn

    queue, worker, log = worker_queue
    rows = "".join(f"ООО Клиент {n};{make_inn(500_000 + n)}\n" for n in range(20_000))
    upload = ContentFile(("Наименование;ИНН\n" + rows).encode("cp1251"), name="clients.csv")
    settings.CRM_IMPORT_ASYNC_CHECK_BYTES = 10 * 1024 * 1024  # checked here, in the test
    job = import_validate(by=head, kind=ImportJob.Kind.CLIENTS, uploaded_file=upload, strict=True)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)

    run_import_task.apply_async(args=[job.pk, head.pk], queue=queue)
    deadline = time.monotonic() + TIMEOUT
    while not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, processed_rows__gt=0).exists():
        assert worker.poll() is None, f"the worker died early:\n{_log_tail(log)}"
        assert time.monotonic() < deadline, f"the import did not start in {TIMEOUT} s:\n{_log_tail(log)}"
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)  # kill -9, mid-import
    worker.wait(timeout=15)

    # Nothing was written (the import's transaction died with the worker), and the job looks stuck...
    assert Client.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING
    # ...until it has reported nothing for the stale minutes: then it is failed, interrupted, with the reason.
    later = timezone.now() + timedelta(minutes=settings.CRM_IMPORT_STALE_MINUTES + 1)
    assert imports_stale_fail(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.interrupted) == (ImportJob.Status.FAILED, True)
    # Confirmed again, it runs to the end (here in-process).
    settings.CRM_IMPORT_ASYNC_ROWS = 100_000
    assert import_run(job=job, by=head).status == ImportJob.Status.DONE
    assert Client.objects.count() == 20_000
