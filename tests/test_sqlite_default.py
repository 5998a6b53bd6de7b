"""`make run` uses SQLite with tasks in-process: every page and list endpoint must work there too."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings

PAGES_SCRIPT = r"""
import json
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
from crm.models import Client as Company, Deal, ImportJob, User

paths = ["/", "/clients/", "/pipeline/", "/pipeline/?open=goal:2", "/pipeline/column/?stage=goal&page=2",
         "/pipeline/review/", "/imports/", "/users/", "/teams/",
         "/clients/export/", "/pipeline/export/", "/api/v1/deals/", "/api/v1/clients/", "/api/v1/sales/",
         "/api/v1/activities/", "/api/v1/me/", "/api/docs/",
         "/prospects/", "/long-list/", "/reassignments/", "/reassignments/near/", "/reports/sources/", "/settings/",
         "/plans/", "/plans/work/", "/plans/fact/", "/plans/cross-sell/", "/plans/tool2/", "/plans/complements/",
         "/pay/", "/pay/schemes/", "/pay/kpi-results/",
         "/api/v1/reassignments/?status=pending", "/api/v1/prospect-lists/", "/api/v1/long-lists/",
         "/api/v1/plans/", "/api/v1/plan-fact/", "/api/v1/pay/", "/api/v1/cross-sell/",
         "/analytics/nps/", "/analytics/nps/export/", "/api/v1/analytics/nps/", "/api/v1/analytics/nps/answers/",
         "/analytics/dashboard/", "/analytics/dashboard/export/managers/", "/analytics/dashboard/export/payments/",
         "/analytics/morning/", "/analytics/abc/", "/analytics/abc/cell/AX/", "/api/v1/analytics/abc/",
         "/analytics/ltv/", "/analytics/wallet/", "/analytics/lost/", "/api/v1/analytics/ltv/",
         "/api/v1/analytics/lost/", "/analytics/contests/", "/api/v1/analytics/contests/", "/analytics/settings/",
         "/analytics/funnel/", "/analytics/funnel/?view=cohort&client_kind=new", "/analytics/funnel/deals/?stage=goal",
         "/analytics/funnel/clients/?purchase=2", "/analytics/funnel/export/", "/api/v1/analytics/funnel/"]
result = {}
with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
    for username in ["manager01", "lead1", "head", "vip", "service", "base", "admin"]:
        user = User.objects.get(username=username)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        own = [f"/clients/{pk}/" for pk in Company.objects.visible_to(user).values_list("pk", flat=True)[:1]]
        own += [f"/deals/{pk}/" for pk in Deal.objects.visible_to(user).values_list("pk", flat=True)[:1]]
        result[username] = {path: client.get(path).status_code for path in paths + own}
print(json.dumps(result))
"""


@pytest.mark.slow_subprocess
def test_every_page_answers_on_the_sqlite_default_with_demo_data(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "salesdept.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("manage.py", "migrate", "--noinput", "-v", "0")
    assert "head / demo12345" in run("manage.py", "seed_demo", "--clients", "150", "--deals", "120")
    # The nightly jobs on a 1st (long lists, plan drafts) and on an ordinary day, on SQLite too.
    run("manage.py", "run_nightly", "--as-of", date.today().replace(day=1).isoformat())
    run("manage.py", "run_nightly")
    statuses = json.loads(run("-c", PAGES_SCRIPT).strip().splitlines()[-1])

    errors = {user: {p: s for p, s in pages.items() if s >= 500} for user, pages in statuses.items()}
    assert errors == {user: {} for user in statuses}
    # The head must name the manager whose pay or cross-sell list he wants: without one, a 400 saying so.
    assert {p: c for p, c in statuses["head"].items() if c != 200} == {"/api/v1/cross-sell/": 400, "/api/v1/pay/": 400}
    manager = statuses["manager01"]
    assert manager["/"] == manager["/pipeline/"] == manager["/clients/"] == manager["/api/v1/deals/"] == 200
    assert manager["/pipeline/review/"] == manager["/users/"] == 403
    assert manager["/analytics/dashboard/"] == manager["/analytics/morning/"] == 200
    assert statuses["service"]["/analytics/dashboard/"] == statuses["base"]["/analytics/morning/"] == 403
    assert any(path.startswith("/deals/") and code == 200 for path, code in manager.items())
