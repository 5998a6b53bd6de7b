"""The nightly as a chain of jobs: each recorded, a failure retried and then passed over, needs respected, a missed
1st caught up, and the head's page of past runs."""

from datetime import date

import pytest
from django.db import OperationalError
from django.urls import reverse

from crm.models import LongList
from planning.models import Plan
from salesdept import nightly
from salesdept.models import NightlyJobRun, NightlyRun
from salesdept.nightly import NIGHTLY_JOBS, NightlyJob, run_nightly
from salesdept.tasks import JOB_RETRIES, run_nightly_task

pytestmark = pytest.mark.django_db


def _jobs(run_id: int) -> dict[str, NightlyJobRun]:
    return {job.name: job for job in NightlyJobRun.objects.filter(run_id=run_id)}


def _failing(name: str, calls: list[date]):
    def job(as_of: date, **_kwargs: object) -> dict[str, int]:
        calls.append(as_of)
        raise OperationalError("the database went away")

    return NightlyJob(name, job, needs=nightly.JOBS_BY_NAME[name].needs)


def test_the_task_runs_every_job_as_its_own_task_and_records_each(manager):
    result = run_nightly_task.delay("2026-06-10").get()

    run = NightlyRun.objects.get(pk=result["run"])
    jobs = _jobs(run.pk)
    assert run.as_of == date(2026, 6, 10) and run.finished_at is not None
    assert [job.name for job in sorted(jobs.values(), key=lambda j: j.position)] == [j.name for j in NIGHTLY_JOBS]
    assert {job.status for job in jobs.values()} == {NightlyJobRun.Status.OK}
    assert jobs["deal_hygiene_snapshot"].counts["deals"] == 0


def test_a_failing_job_is_retried_then_passed_over_and_the_others_still_run(manager, monkeypatch):
    calls: list[date] = []
    monkeypatch.setitem(nightly.JOBS_BY_NAME, "deal_hygiene_snapshot", _failing("deal_hygiene_snapshot", calls))

    result = run_nightly_task.delay("2026-06-10").get()

    jobs = _jobs(result["run"])
    failed = jobs["deal_hygiene_snapshot"]
    assert (failed.status, failed.attempts, len(calls)) == ("failed", JOB_RETRIES + 1, JOB_RETRIES + 1)
    assert failed.error == "OperationalError: the database went away"
    assert jobs["plan_drafts_generate"].status == jobs["reassignment_flags_refresh"].status == "ok"
    assert NightlyRun.objects.get(pk=result["run"]).finished_at is not None


def test_a_job_that_needs_a_failed_one_is_skipped_with_the_reason(manager, monkeypatch):
    monkeypatch.setitem(nightly.JOBS_BY_NAME, "client_statuses_refresh", _failing("client_statuses_refresh", []))

    results = run_nightly(date(2026, 6, 10))

    assert results["client_statuses_refresh"] == {"failed": "OperationalError: the database went away"}
    jobs = _jobs(NightlyRun.objects.get().pk)
    for name in ("long_lists_draft", "reassignment_flags_refresh"):
        assert jobs[name].status == "skipped"
        assert jobs[name].error == "needs client_statuses_refresh, which did not succeed"
    assert jobs["deal_hygiene_snapshot"].status == jobs["plan_drafts_generate"].status == "ok"


def test_a_missed_first_of_the_month_is_caught_up_once_by_the_next_run(manager):
    run_nightly(date(2026, 5, 30))
    run_nightly(date(2026, 5, 31))
    assert set(LongList.objects.values_list("month", flat=True)) == {date(2026, 5, 1)}

    # No run on 1 June: the run of 2 June does the month's long lists and plan drafts.
    run_nightly(date(2026, 6, 2))
    assert LongList.objects.filter(owner=manager, month=date(2026, 6, 1)).count() == 1
    assert LongList.objects.filter(owner=manager, month=date(2026, 5, 1)).count() == 1
    assert Plan.objects.filter(manager=manager, month=date(2026, 6, 1)).count() == 1
    caught_up = _jobs(NightlyRun.objects.get(as_of=date(2026, 6, 2)).pk)
    assert (
        caught_up["long_lists_draft"].monthly_for == caught_up["plan_drafts_generate"].monthly_for == date(2026, 6, 1)
    )

    # The run of 3 June does not do it again, even for a seller who has no plan yet.
    LongList.objects.filter(month=date(2026, 6, 1)).delete()
    run_nightly(date(2026, 6, 3))
    assert not LongList.objects.filter(month=date(2026, 6, 1)).exists()
    assert _jobs(NightlyRun.objects.get(as_of=date(2026, 6, 3)).pk)["long_lists_draft"].monthly_for is None


def test_the_first_of_the_month_does_the_monthly_part_even_after_a_catch_up_of_the_month_before(manager):
    run_nightly(date(2026, 5, 2))
    run_nightly(date(2026, 6, 1))
    assert set(LongList.objects.values_list("month", flat=True)) == {date(2026, 5, 1), date(2026, 6, 1)}


def test_the_head_sees_the_past_runs_with_times_counts_and_errors(client, head, manager, monkeypatch):
    run_nightly(date(2026, 6, 9))
    monkeypatch.setitem(nightly.JOBS_BY_NAME, "deal_hygiene_snapshot", _failing("deal_hygiene_snapshot", []))
    run_nightly(date(2026, 6, 10))
    client.force_login(head)

    page = client.get(reverse("nightly_runs"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "10.06.2026" in html and "09.06.2026" in html
    assert "OperationalError: the database went away" in html
    assert html.count('data-testid="nightly-job"') == 2 * len(NIGHTLY_JOBS)
    assert 'data-status="failed"' in html
    assert "became_active=0" in html


def test_the_runs_page_reads_a_constant_number_of_queries(client, head, manager, django_assert_max_num_queries):
    client.force_login(head)
    for day in range(1, 4):
        run_nightly(date(2026, 6, day))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("nightly_runs")).status_code == 200
    for day in range(4, 12):
        run_nightly(date(2026, 6, day))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("nightly_runs")).status_code == 200


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_only_the_head_sees_the_runs(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("nightly_runs")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("nightly_runs"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_on_a_worker_a_failed_job_asks_celery_to_retry_it_later_and_waits_longer_each_time(manager, monkeypatch):
    from celery.exceptions import Retry

    from salesdept.tasks import RETRY_WAIT_SECONDS, nightly_job_task

    run = NightlyRun.objects.create(as_of=date(2026, 6, 10))
    monkeypatch.setitem(nightly.JOBS_BY_NAME, "deal_hygiene_snapshot", _failing("deal_hygiene_snapshot", []))
    asked: list[int] = []

    def retry(countdown: int) -> Retry:
        asked.append(countdown)
        return Retry("later", when=countdown)

    monkeypatch.setattr(nightly_job_task, "retry", retry)
    for retries in range(JOB_RETRIES):
        nightly_job_task.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retry):
                nightly_job_task.run(run.pk, "deal_hygiene_snapshot")
        finally:
            nightly_job_task.pop_request()
    # The last attempt fails for good: recorded, and the chain goes on (the task returns).
    nightly_job_task.push_request(retries=JOB_RETRIES, is_eager=False)
    try:
        outcome = nightly_job_task.run(run.pk, "deal_hygiene_snapshot")
    finally:
        nightly_job_task.pop_request()
    assert asked == [RETRY_WAIT_SECONDS, 2 * RETRY_WAIT_SECONDS, 4 * RETRY_WAIT_SECONDS]
    assert outcome["status"] == "failed"
    assert NightlyJobRun.objects.get(run=run, name="deal_hygiene_snapshot").attempts == JOB_RETRIES + 1


@pytest.mark.django_db(transaction=True)
def test_two_nightly_runs_at_the_same_time_take_turns_and_write_nothing_twice(manager):
    import threading

    from django.db import close_old_connections

    from crm.models import ChangeLog, Client, OwnershipChange
    from tests.crm.factories import ClientFactory, SaleLineFactory

    lost = ClientFactory(owner=manager, owned_since=date(2025, 1, 1), status=Client.Status.ACTIVE)
    SaleLineFactory(client=lost, date=date(2025, 12, 20))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def night():
        try:
            barrier.wait(timeout=10)
            run_nightly(date(2026, 6, 10))
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=night) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert NightlyRun.objects.count() == 2
    assert set(NightlyJobRun.objects.values_list("status", flat=True)) == {"ok"}
    client_logs = ChangeLog.objects.filter(object_id=lost.pk, content_type__model="client")
    assert client_logs.count() == 2  # the status once, the owner once: not twice each
    assert OwnershipChange.objects.filter(client=lost).count() == 1
    assert Client.objects.get(pk=lost.pk).owner_id is None
