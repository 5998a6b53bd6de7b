"""A real browser (Debian's Chromium through Playwright): the head imports clients; a running import shows progress."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import Client, ImportJob
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
)

DATA = Path(__file__).parents[1] / "crm" / "data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.browser
def test_the_head_uploads_a_clients_file_sees_the_preview_confirms_and_sees_the_result(
    transactional_db, live_server, page: Page, head, manager
):
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "head")
    page.goto(live_server.url + reverse("import_list"))
    expect(page.get_by_test_id("import-empty")).to_be_visible()

    # A bad choice first: no file. The kind chosen and the strict option stay as they were.
    form = page.get_by_test_id("import-form")
    form.locator("select[name=kind]").select_option("sales")
    form.locator("input[name=strict]").uncheck()
    form.locator("input[name=file]").evaluate("input => input.removeAttribute('required')")
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("#id_file_errors")).not_to_be_empty()
    expect(page.locator("select[name=kind]")).to_have_value("sales")
    expect(page.locator("input[name=strict]")).not_to_be_checked()

    # The real upload, strict: the dry run shows the totals and the first rows, and writes no client.
    page.locator("select[name=kind]").select_option("clients")
    page.locator("input[name=strict]").check()
    page.locator("input[name=file]").set_input_files(str(DATA / "clients_1c_cp1251.csv"))
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-totals")).to_be_visible()
    expect(page.get_by_test_id("import-total")).to_have_text("3")
    expect(page.get_by_test_id("import-error-rows")).to_have_text("0")
    expect(page.get_by_test_id("import-preview")).to_contain_text("ООО «Ромашка»")
    expect(page.get_by_test_id("import-preview")).to_contain_text("7710140679")
    assert not Client.objects.exists()

    # Confirm: the result with the counts and a full green bar.
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-progress")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-created")).to_have_text("3")
    expect(page.get_by_test_id("import-skipped")).to_have_text("0")
    expect(page.get_by_test_id("import-progress-bar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    assert Client.objects.count() == 3

    # Back on the list, the job is there and done.
    page.goto(live_server.url + reverse("import_list"))
    expect(page.get_by_test_id("import-row")).to_have_count(1)
    expect(page.get_by_test_id("import-row").get_by_test_id("job-status")).to_have_attribute("data-status", "done")

    # Printed on A4: no navigation, no buttons, no upload form; the table stays.
    page.emulate_media(media="print")
    expect(page.locator("header.navbar")).to_be_hidden()
    expect(page.get_by_test_id("import-form")).to_be_hidden()
    expect(page.get_by_test_id("import-list-export")).to_be_hidden()
    expect(page.get_by_test_id("import-table")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("header.navbar")).to_be_visible()

    assert leaked == []


@pytest.mark.browser
def test_a_running_import_polls_its_progress_and_shows_the_result_without_a_reload(
    transactional_db, live_server, page: Page, head
):
    job = ImportJob.objects.create(
        created_by=head,
        kind=ImportJob.Kind.CLIENTS,
        original_name="big.csv",
        file="imports/big.csv",
        status=ImportJob.Status.RUNNING,
        total_rows=10_000,
        valid_rows=10_000,
        processed_rows=2_500,
    )
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "head")
    page.goto(live_server.url + reverse("import_detail", args=[job.pk]))
    bar = page.get_by_test_id("import-progress-bar")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    page.evaluate("window.importPageLoaded = true")

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=7_500)
    expect(bar).to_have_attribute("aria-valuenow", "75")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, processed_rows=10_000, created_count=9_990, skipped_count=10
    )

    expect(page.get_by_test_id("import-progress")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-created")).to_have_text("9\u00a0990")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    # The same page all along: htmx swapped the fragment in, nothing reloaded.
    assert page.evaluate("window.importPageLoaded") is True
    assert leaked == []
