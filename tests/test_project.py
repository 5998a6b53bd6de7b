"""The project's deployment files are consistent: docker-compose, the Dockerfile and the production settings."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from salesdept.settings import base as base_settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = "salesdept.settings.production"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return command if isinstance(command, list) else shlex.split(command)


def resolved_environment(service: dict, given: dict[str, str]) -> dict[str, str]:
    """The service's environment with ${VAR:-default} / ${VAR:?error} filled as docker compose fills them."""

    def fill(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if op == ":?":
            raise AssertionError(f"{name} is required: {arg}")
        return arg or ""

    pattern = re.compile(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}")
    return {key: pattern.sub(fill, str(value)) for key, value in service["environment"].items()}


def test_compose_declares_the_five_services(compose):
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_compose_runs_gunicorn_a_worker_and_beat_with_the_database_scheduler(compose):
    services = compose["services"]

    assert command_of(services["web"])[:2] == ["gunicorn", "salesdept.wsgi"]
    assert command_of(services["worker"])[:4] == ["celery", "-A", "salesdept", "worker"]
    beat = command_of(services["beat"])
    assert beat[:4] == ["celery", "-A", "salesdept", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_use_production_settings_postgres_and_redis(compose, name):
    service = compose["services"][name]
    env = resolved_environment(service, {"DJANGO_SECRET_KEY": "x" * 60})

    assert env["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert {"db", "redis"} <= set(service["depends_on"])
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_web_app_and_the_worker_share_the_uploaded_files(compose):
    services = compose["services"]

    assert "media:/app/media" in services["web"]["volumes"]
    assert "media:/app/media" in services["worker"]["volumes"]


def test_postgres_keeps_its_data_in_a_volume_and_has_a_healthcheck(compose):
    db = compose["services"]["db"]

    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "pgdata" in compose["volumes"]


def test_dockerfile_builds_on_python_311_and_runs_gunicorn():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "gettext" in dockerfile and "compilemessages" in dockerfile and "collectstatic --noinput" in dockerfile
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd, "the Dockerfile needs a CMD in exec form"
    assert json.loads(cmd.group(1))[:2] == ["gunicorn", "salesdept.wsgi"]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_with_the_compose_environment(compose):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(resolved_environment(compose["services"]["web"], {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}))

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_collectstatic_with_the_production_storage_finds_every_referenced_file(tmp_path):
    """The Docker build runs collectstatic; the manifest storage fails on a stylesheet's missing url()."""
    # Production inherits its storages from the base settings; the test settings swap in a plain one.
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=base_settings.STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert "admin/css/base.css" in manifest["paths"]


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_compose_passes_the_mail_settings_console_by_default(compose, name):
    service = compose["services"][name]
    env = resolved_environment(service, {"DJANGO_SECRET_KEY": "x" * 60})
    assert env["EMAIL_URL"] == "consolemail://"
    assert "@" in env["DEFAULT_FROM_EMAIL"] and env["SITE_URL"].startswith("http")

    given = {"DJANGO_SECRET_KEY": "x" * 60, "EMAIL_URL": "smtp+tls://crm%40example.ru:p@smtp.example.ru:587"}
    assert resolved_environment(service, given)["EMAIL_URL"] == given["EMAIL_URL"]


def test_the_mail_server_is_read_from_email_url():
    config = base_settings.env.email_url_config("smtp+tls://crm%40example.ru:secret@smtp.example.ru:587")

    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_HOST_USER"]) == (
        "smtp.example.ru",
        587,
        "crm@example.ru",
    )
    assert config["EMAIL_USE_TLS"] is True


def test_make_run_listens_on_loopback_unless_host_says_otherwise_and_the_readme_says_how():
    makefile = (BASE_DIR / "Makefile").read_text()
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.MULTILINE)
    assert "runserver $(HOST):$(PORT)" in makefile
    assert "make run PORT=8080 HOST=0.0.0.0" in (BASE_DIR / "README.md").read_text()
    # The container does not depend on make's HOST: gunicorn binds every address of the container itself.
    for text in ((BASE_DIR / "docker-compose.yml").read_text(), (BASE_DIR / "Dockerfile").read_text()):
        assert "HOST)" not in text and "${HOST" not in text
        assert "0.0.0.0:8000" in text
