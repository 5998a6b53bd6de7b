"""The nightly jobs: lost-client detection at its edges, deal hygiene, idempotence, and `run_nightly`."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from crm.models import Activity, ChangeLog, Client, Deal
from crm.nightly import client_statuses_refresh, deal_hygiene_snapshot
from crm.rules.stages import Stage
from salesdept.celery import app as celery_app
from salesdept.models import NightlyJobRun
from salesdept.nightly import NIGHTLY_JOBS, run_nightly
from salesdept.tasks import run_nightly_task
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, LostReasonFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 10)  # the five full months before it: January..May 2026


def client_with_sales(manager, *days, status=Client.Status.PROSPECT, is_paid=True):
    client = ClientFactory(owner=manager, status=status)
    for day in days:
        SaleLineFactory(client=client, date=day, is_paid=is_paid, paid_date=day if is_paid else None)
    return client


def status_of(client):
    client.refresh_from_db()
    return client.status


@pytest.mark.parametrize(
    ("last_purchase", "expected"),
    [
        (date(2026, 6, 10), Client.Status.ACTIVE),  # on the day itself
        (date(2026, 2, 10), Client.Status.ACTIVE),  # four months before
        (date(2026, 1, 10), Client.Status.ACTIVE),  # five months to the day: January is one of the five full months
        (date(2026, 1, 1), Client.Status.ACTIVE),  # the first day of the five-month window
        (date(2025, 12, 31), Client.Status.LOST),  # January..May with no purchase: five full months
        (date(2025, 6, 10), Client.Status.LOST),  # a year ago
    ],
)
def test_client_status_follows_the_last_purchase(manager, last_purchase, expected):
    client = client_with_sales(manager, date(2024, 3, 1), last_purchase)

    client_statuses_refresh(AS_OF)

    assert status_of(client) == expected


def test_a_purchase_five_months_to_the_day_turns_lost_when_its_month_leaves_the_window(manager):
    client = client_with_sales(manager, date(2026, 1, 10), status=Client.Status.ACTIVE)

    assert client_statuses_refresh(date(2026, 6, 30))["became_lost"] == 0
    assert client_statuses_refresh(date(2026, 7, 1))["became_lost"] == 1
    assert status_of(client) == Client.Status.LOST


def test_an_unpaid_sale_counts_as_a_purchase(manager):
    client = client_with_sales(manager, date(2026, 5, 20), is_paid=False)

    client_statuses_refresh(AS_OF)

    assert status_of(client) == Client.Status.ACTIVE


def test_a_client_who_never_bought_is_a_prospect_even_if_marked_active(manager):
    never = client_with_sales(manager)
    marked = client_with_sales(manager, status=Client.Status.ACTIVE)

    counts = client_statuses_refresh(AS_OF)

    assert status_of(never) == Client.Status.PROSPECT
    assert status_of(marked) == Client.Status.PROSPECT
    assert counts == {"became_prospect": 1, "became_active": 0, "became_lost": 0, "freed": 0}


def test_sales_after_the_day_are_not_counted(manager):
    client = client_with_sales(manager, date(2026, 6, 11))

    client_statuses_refresh(AS_OF)

    assert status_of(client) == Client.Status.PROSPECT


def test_a_lost_client_who_buys_again_becomes_active_and_the_change_is_logged(manager):
    client = client_with_sales(manager, date(2025, 10, 1))
    client_statuses_refresh(AS_OF)
    assert status_of(client) == Client.Status.LOST

    SaleLineFactory(client=client, date=date(2026, 7, 2))
    counts = client_statuses_refresh(date(2026, 7, 3))

    assert counts["became_active"] == 1
    assert status_of(client) == Client.Status.ACTIVE
    history = list(ChangeLog.objects.filter(object_id=client.pk).order_by("id").values_list("changes", "by"))
    assert history == [
        ({"status": ["prospect", "lost"]}, None),
        ({"status": ["lost", "active"]}, None),
    ]


def test_status_refresh_moves_updated_at_for_mobile_sync(manager):
    client = client_with_sales(manager, date(2026, 5, 1))
    Client.objects.filter(pk=client.pk).update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))

    client_statuses_refresh(AS_OF)

    client.refresh_from_db()
    assert client.updated_at > datetime(2026, 1, 1, tzinfo=UTC)


def test_running_the_status_refresh_twice_changes_nothing_the_second_time(manager):
    clients = [
        client_with_sales(manager, date(2026, 5, 1)),
        client_with_sales(manager, date(2025, 5, 1)),
        client_with_sales(manager, status=Client.Status.ACTIVE),
    ]
    first = client_statuses_refresh(AS_OF)
    statuses = [status_of(c) for c in clients]
    stamps = list(Client.objects.order_by("pk").values_list("updated_at", flat=True))
    log_rows = ChangeLog.objects.count()

    second = client_statuses_refresh(AS_OF)

    # The lost client's owner took it (1 January 2026) after its last purchase: he did not lose it, it stays his.
    assert first == {"became_prospect": 1, "became_active": 1, "became_lost": 1, "freed": 0}
    assert second == {"became_prospect": 0, "became_active": 0, "became_lost": 0, "freed": 0}
    assert [status_of(c) for c in clients] == statuses
    assert list(Client.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert ChangeLog.objects.count() == log_rows


def _deal(owner, stage=Stage.PROPOSAL, created=datetime(2026, 5, 1, tzinfo=UTC)):
    extra = {"lost_reason": LostReasonFactory(), "lost_from_stage": Stage.PROPOSAL} if stage == Stage.LOST else {}
    deal = DealFactory(client=ClientFactory(owner=owner), stage=stage, **extra)
    Deal.objects.filter(pk=deal.pk).update(created_at=created)
    return deal


def _task(deal, due, done=None, created=datetime(2026, 5, 1, tzinfo=UTC)):
    task = ActivityFactory(
        kind=Activity.Kind.TASK, client=deal.client, deal=deal, owner=deal.owner, due_at=due, done_at=done
    )
    Activity.objects.filter(pk=task.pk).update(created_at=created)
    return task


def test_deal_hygiene_counts_deals_without_an_open_task_and_with_an_overdue_one(manager, other_manager):
    _deal(manager)  # no task at all
    _task(_deal(manager), due=datetime(2026, 6, 20, 9, tzinfo=UTC))  # open, due later: fine
    _task(_deal(manager), due=datetime(2026, 6, 9, 9, tzinfo=UTC))  # overdue
    _task(_deal(manager), due=datetime(2026, 6, 1, 9, tzinfo=UTC), done=datetime(2026, 6, 2, tzinfo=UTC))  # done
    # Done only after the day: it was still open, and overdue, at the end of that day.
    _task(_deal(manager), due=datetime(2026, 6, 5, 9, tzinfo=UTC), done=datetime(2026, 6, 15, tzinfo=UTC))
    _deal(manager, stage=Stage.ACCOUNT)  # existing-client work needs no next task
    _deal(manager, stage=Stage.LOST)
    _deal(manager, created=datetime(2026, 6, 12, tzinfo=UTC))  # opened after the day
    _deal(other_manager)

    snapshot = deal_hygiene_snapshot(AS_OF)

    assert snapshot["by_manager"] == {
        "ivanov": {"deals": 5, "without_open_task": 2, "with_overdue_task": 2},
        "petrov": {"deals": 1, "without_open_task": 1, "with_overdue_task": 0},
    }
    assert (snapshot["deals"], snapshot["without_open_task"], snapshot["with_overdue_task"]) == (6, 3, 2)


def test_a_task_due_late_on_the_day_is_overdue_at_the_end_of_that_day(manager):
    # 23:30 in Moscow on 10 June is 20:30 UTC; the day ends at midnight Moscow time.
    _task(_deal(manager), due=datetime(2026, 6, 10, 20, 30, tzinfo=UTC))

    assert deal_hygiene_snapshot(AS_OF)["with_overdue_task"] == 1
    assert deal_hygiene_snapshot(date(2026, 6, 9))["with_overdue_task"] == 0


def test_run_nightly_runs_every_registered_job_in_order(manager):
    client = client_with_sales(manager, date(2026, 5, 1))

    results = run_nightly(AS_OF)

    assert list(results) == [job.name for job in NIGHTLY_JOBS]
    assert results["client_statuses_refresh"]["became_active"] == 1
    assert status_of(client) == Client.Status.ACTIVE


def test_the_nightly_task_takes_the_day_as_an_iso_string(manager):
    client = client_with_sales(manager, date(2025, 1, 1), status=Client.Status.ACTIVE)

    result = run_nightly_task.delay("2026-06-10").get()

    job = NightlyJobRun.objects.get(run_id=result["run"], name="client_statuses_refresh")
    assert (result["as_of"], job.status, job.counts["became_lost"]) == ("2026-06-10", "ok", 1)
    assert status_of(client) == Client.Status.LOST


def test_run_nightly_command_runs_the_jobs_for_the_given_day_and_prints_them(manager):
    client = client_with_sales(manager, date(2026, 1, 15))
    out = StringIO()

    call_command("run_nightly", "--as-of", "2026-06-10", stdout=out)

    assert status_of(client) == Client.Status.ACTIVE
    printed = out.getvalue()
    assert "as of 2026-06-10" in printed
    assert "client_statuses_refresh: became_prospect=0, became_active=1, became_lost=0" in printed
    assert "deal_hygiene_snapshot: deals=0, without_open_task=0, with_overdue_task=0" in printed

    call_command("run_nightly", "--as-of", "2026-07-01", stdout=StringIO())
    assert status_of(client) == Client.Status.LOST


@pytest.mark.parametrize("bad", ["2026-13-01", "10.06.2026", "yesterday"])
def test_run_nightly_command_refuses_a_bad_date_and_changes_nothing(manager, bad):
    client = client_with_sales(manager, date(2026, 5, 1))

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_nightly", "--as-of", bad, stdout=StringIO())

    assert status_of(client) == Client.Status.PROSPECT


def test_the_beat_schedule_names_the_registered_nightly_task():
    assert settings.CELERY_BEAT_SCHEDULE["nightly"]["task"] == run_nightly_task.name
    assert run_nightly_task.name in celery_app.tasks


def nightly_writes() -> dict[str, list]:
    """What the status job writes, without ids and moments: the clients, the change log, the ownership records
    and the tombstones."""
    from crm.models import OwnershipChange, Tombstone

    return {
        "clients": list(Client.objects.order_by("pk").values_list("pk", "status", "owner", "owned_since", "revision")),
        "log": sorted(
            (row["object_id"], row["action"], sorted(row["changes"].items()), row["by"])
            for row in ChangeLog.objects.values("object_id", "action", "changes", "by")
        ),
        "ownership": sorted(
            OwnershipChange.objects.values_list("client", "from_owner", "to_owner", "by", "cause", "reason")
        ),
        "tombstones": sorted(
            Tombstone.objects.values_list(
                "resource", "object_id", "reason", "owner_id", "team_id", "client_owner_id", "client_team_id"
            )
        ),
    }


def test_the_sql_and_the_orm_status_jobs_write_the_same_rows(manager, other_manager):
    # Every case of the job: prospect -> active, active -> lost and freed (owned before its last purchase, or with
    # no start recorded), lost but kept (taken after the loss), marked active with no sale, lost buying again.
    client_with_sales(manager, date(2026, 5, 3))
    freed = ClientFactory(owner=manager, owned_since=date(2025, 1, 1), status=Client.Status.ACTIVE)
    SaleLineFactory(client=freed, date=date(2025, 11, 20))
    DealFactory(client=freed, owner=manager)
    ActivityFactory(client=freed, owner=manager)
    no_start = ClientFactory(owner=other_manager, owned_since=None, status=Client.Status.ACTIVE)
    SaleLineFactory(client=no_start, date=date(2025, 3, 5))
    kept = ClientFactory(owner=manager, owned_since=date(2026, 2, 1), status=Client.Status.LOST)
    SaleLineFactory(client=kept, date=date(2025, 8, 1))
    client_with_sales(manager, status=Client.Status.ACTIVE)
    client_with_sales(manager, date(2026, 6, 1), status=Client.Status.LOST)
    ChangeLog.objects.all().delete()

    results = {}
    for sql in (False, True):
        with transaction.atomic():
            counts = client_statuses_refresh(AS_OF, sql=sql)
            results[sql] = (counts, nightly_writes())
            transaction.set_rollback(True)

    assert results[True] == results[False]
    counts, writes = results[True]
    assert counts == {"became_prospect": 1, "became_active": 2, "became_lost": 2, "freed": 2}
    assert [row[0] for row in writes["ownership"]] == sorted([freed.pk, no_start.pk])
    reasons = sorted(row[5] for row in writes["ownership"])
    assert reasons[0].endswith("05.03.2025") and reasons[1].endswith("20.11.2025")
    assert {row[0] for row in writes["tombstones"]} >= {"clients", "deals", "activities"}
