"""The head's page of past nightly runs: when, for which day, how long each job took, what it changed, any error."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.access import RoleRequiredMixin
from salesdept.models import NightlyJobRun, NightlyRun
from salesdept.nightly import NIGHTLY_JOBS

PAGE_SIZE = 20


class NightlyRunListView(RoleRequiredMixin, View):
    role_check = "is_head"
    role_denied = _("Only the head of sales sees the nightly runs.")

    def get(self, request: HttpRequest) -> HttpResponse:
        runs = NightlyRun.objects.prefetch_related(
            Prefetch("jobs", queryset=NightlyJobRun.objects.order_by("position"))
        ).order_by("-started_at", "-id")
        page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = []
        for run in page.object_list:
            jobs = list(run.jobs.all())
            rows.append(
                {
                    "run": run,
                    "jobs": [{"job": job, "counts": _flat(job.counts)} for job in jobs],
                    "failed": any(job.status != NightlyJobRun.Status.OK for job in jobs),
                    "seconds": sum(job.seconds for job in jobs),
                }
            )
        context = {"page": page, "rows": rows, "job_names": [job.name for job in NIGHTLY_JOBS]}
        return render(request, "salesdept/nightly_runs.html", context)


def _flat(counts: dict[str, object], prefix: str = "") -> str:
    """`drafted=3, lines=40`: the top-level counts (per-manager detail stays in the record)."""
    return ", ".join(f"{prefix}{key}={value}" for key, value in counts.items() if not isinstance(value, dict))
