"""The import page: upload a file for a dry run, look at its errors and first rows, confirm, watch it run."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.access import RoleRequiredMixin
from core.exports import Column, csv_response, xlsx_response
from core.http import user_of
from crm.forms.imports import ImportUploadForm, import_kinds
from crm.forms.people import add_service_errors
from crm.models import ImportJob, User
from crm.services.imports import MAX_STORED_ERRORS, can_import, import_run, import_validate
from crm.services.imports.preview import import_preview
from crm.services.imports.recovery import imports_stale_fail

PAGE_SIZE = 50
ERRORS_PAGE_SIZE = 50
PREVIEW_ROWS = 10
ACTIVE = (ImportJob.Status.CHECKING, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
DELIMITERS = {"\t": "TAB"}

# Sample files as 1C writes them: Windows-1251, `;`, Russian headers (docs/import.md). They import cleanly:
# the clients first, then the sales lines of those clients.
SAMPLES: dict[str, list[list[str]]] = {
    ImportJob.Kind.CLIENTS: [
        [
            "Наименование",
            "ИНН",
            "КПП",
            "Телефон",
            "Email",
            "Адрес",
            "Регион",
            "Сегмент",
            "Источник",
            "Канал",
            "Категория",
            "Менеджер",
            "Статус",
            "Закреплён с",
        ],
        [
            'ООО "Ромашка"',
            "7707083893",
            "773601001",
            "+7 (495) 123-45-67",
            "info@romashka.ru",
            "г. Москва, ул. Ленина, д. 1",
            "Москва",
            "",
            "тёплый",
            "прямые продажи",
            "B",
            "",
            "действующий",
            "",
        ],
        [
            'АО "Вектор"',
            "7736207543",
            "770401001",
            "8 812 765-43-21",
            "sales@vector.ru",
            "г. Санкт-Петербург, Невский пр., д. 10",
            "Санкт-Петербург",
            "",
            "холодный",
            "дилеры",
            "C",
            "",
            "потенциальный",
            "",
        ],
    ],
    ImportJob.Kind.SALES: [
        [
            "Дата",
            "Номер документа",
            "Строка",
            "ИНН",
            "КПП",
            "Артикул",
            "Количество",
            "Сумма",
            "Маржа",
            "Оплачено",
            "Дата оплаты",
            "Менеджер",
        ],
        [
            "02.10.2026",
            "РН-00012",
            "1",
            "7707083893",
            "773601001",
            "",
            "10",
            "125 000,00",
            "25 000,00",
            "да",
            "05.10.2026",
            "",
        ],
        [
            "02.10.2026",
            "РН-00012",
            "2",
            "7707083893",
            "773601001",
            "",
            "1",
            "4 500,50",
            "900,10",
            "да",
            "05.10.2026",
            "",
        ],
        ["15.10.2026", "РН-00031", "1", "7736207543", "770401001", "", "3", "36 000,00", "7 200,00", "нет", "", ""],
    ],
}

JOB_COLUMNS = [
    Column(gettext_lazy("Uploaded"), lambda job: job.created_at, width=18),
    Column(gettext_lazy("File"), lambda job: job.original_name, width=30),
    Column(gettext_lazy("Kind"), lambda job: job.get_kind_display(), width=16),
    Column(gettext_lazy("Status"), lambda job: job.get_status_display(), width=14),
    Column(gettext_lazy("Rows"), lambda job: job.total_rows, width=10),
    Column(gettext_lazy("Valid rows"), lambda job: job.valid_rows, width=10),
    Column(gettext_lazy("Rows with errors"), lambda job: job.error_count, width=10),
    Column(gettext_lazy("Added"), lambda job: job.created_count, width=10),
    Column(gettext_lazy("Already present"), lambda job: job.skipped_count, width=10),
    Column(gettext_lazy("Uploaded by"), lambda job: str(job.created_by), width=24),
    Column(gettext_lazy("Message"), lambda job: job.message, width=60),
]
ERROR_COLUMNS = [
    Column(gettext_lazy("Row"), lambda error: error.get("row"), width=8),
    Column(gettext_lazy("Column"), lambda error: error.get("column"), width=24),
    Column(gettext_lazy("Error"), lambda error: error.get("message"), width=80),
]


class ImportAccessMixin(RoleRequiredMixin):
    """Anonymous visitors go to the login page; those who may import nothing get 403."""

    role_denied = gettext_lazy("Your role does not import files.")

    def allows(self, user: User) -> bool:
        return bool(import_kinds(user))


def visible_jobs(request: HttpRequest) -> QuerySet[ImportJob]:
    imports_stale_fail()  # a job whose worker died shows as failed and re-runnable, never "running" for ever
    return ImportJob.objects.visible_to(user_of(request)).select_related("created_by")


def visible_job(request: HttpRequest, pk: int) -> ImportJob:
    """The job if the user may see it; 404 otherwise (never 403 for someone else's import)."""
    return get_object_or_404(visible_jobs(request), pk=pk)


def confirm_refusal(job: ImportJob) -> str:
    """Why a checked job cannot be confirmed (the service refuses it for the same reasons), or ''."""
    if job.strict and job.error_count:
        return ngettext(
            "The strict check found errors in %(count)s row, so nothing can be imported: fix the file and upload it "
            "again, or upload it without the strict option to import only the good rows.",
            "The strict check found errors in %(count)s rows, so nothing can be imported: fix the file and upload "
            "it again, or upload it without the strict option to import only the good rows.",
            job.error_count,
        ) % {"count": job.error_count}
    if not job.valid_rows:
        return _("The file has no rows that can be imported.")
    return ""


class ImportListView(ImportAccessMixin, View):
    """GET: the user's imports and the upload form; POST: upload and check a file, then go to its preview."""

    template_name = "crm/imports/import_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, ImportUploadForm(by=self.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        form = ImportUploadForm(request.POST, request.FILES, by=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = import_validate(by=user, kind=data["kind"], uploaded_file=data["file"], strict=data["strict"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.info(request, job.message)
                return redirect("import_detail", pk=job.pk)
        return self.render(request, form)

    def render(self, request: HttpRequest, form: ImportUploadForm) -> HttpResponse:
        user = self.user
        jobs = visible_jobs(request).defer("errors").order_by("-created_at", "-id")
        page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "form": form,
            "page": page,
            "jobs": page.object_list,
            "kinds": import_kinds(user),
            "show_author": user.sees_everything,
        }
        return render(request, self.template_name, context)


class ImportListExportView(ImportAccessMixin, View):
    """The imports the list shows, as XLSX."""

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = visible_jobs(request).defer("errors").order_by("-created_at", "-id")
        return xlsx_response(filename="imports", title=_("Imports"), columns=JOB_COLUMNS, rows=jobs.iterator())


class ImportDetailView(ImportAccessMixin, View):
    """The dry run's totals, its errors page by page and the first rows to import; the result once it ran."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = visible_job(request, pk)
        errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
        validated = job.status == ImportJob.Status.VALIDATED or (
            job.status == ImportJob.Status.FAILED and job.interrupted
        )
        refusal = confirm_refusal(job) if validated else ""
        context = {
            "job": job,
            "errors_page": errors,
            "errors_truncated": len(job.errors) >= MAX_STORED_ERRORS,
            "delimiter_label": DELIMITERS.get(job.delimiter, job.delimiter),
            "preview": import_preview(job=job, limit=PREVIEW_ROWS) if validated and not refusal else None,
            "refusal": refusal,
            "may_confirm": validated and not refusal and can_import(self.user, job.kind),
            "active": job.status in ACTIVE,
            "async_rows": settings.CRM_IMPORT_ASYNC_ROWS,
        }
        return render(request, "crm/imports/import_detail.html", context)


class ImportProgressView(ImportAccessMixin, View):
    """The progress fragment htmx polls every second while the job is queued or running."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = visible_job(request, pk)
        response = render(request, "crm/imports/_progress.html", {"job": job, "active": job.status in ACTIVE})
        if job.status == ImportJob.Status.VALIDATED:
            # The background check is done: the whole page again, with the preview and the confirm button.
            response["HX-Refresh"] = "true"
        return response


class ImportConfirmView(ImportAccessMixin, View):
    """POST: run a checked import (crm.services.imports.import_run); refusals come back as a message."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = visible_job(request, pk)
        try:
            job = import_run(job=job, by=self.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("import_detail", pk=job.pk)
        if job.status == ImportJob.Status.DONE:
            messages.success(request, job.message)
        elif job.status == ImportJob.Status.FAILED:
            messages.error(request, job.message)
        else:
            messages.info(request, _("The import has started: the page shows its progress."))
        return redirect("import_detail", pk=job.pk)


class ImportErrorsExportView(ImportAccessMixin, View):
    """The errors of one job (row, column, message), as XLSX."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = visible_job(request, pk)
        return xlsx_response(
            filename=f"import-{job.pk}-errors", title=_("Errors"), columns=ERROR_COLUMNS, rows=job.errors
        )


class ImportSampleView(ImportAccessMixin, View):
    """A sample file of one kind, as 1C saves it: Windows-1251 CSV with `;` and Russian column names."""

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in SAMPLES:
            raise Http404
        if not can_import(self.user, kind):
            raise PermissionDenied(_("You may not import this kind of file."))
        return csv_response(filename=f"sample-{kind}", rows=SAMPLES[kind], encoding="windows-1251")
