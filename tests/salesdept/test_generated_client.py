"""A typed client generated from the live schema syncs a phone's store and never loses or duplicates a row.

openapi-python-client (a dev dependency) generates a package from `/api/schema/` of the live server; every module
of it imports; then a phone's sync runs through it against the live server (docs/api.md, "Sync").
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, get_type_hints

import pytest
from django.utils import timezone

from crm.models import Activity, Client, ContactPerson, Deal, Role
from tests.crm.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory, TeamFactory, UserFactory

PACKAGE = "crm_api_client"
PASSWORD = "Sync-2026-secret"


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory) -> dict[str, Any]:
    """Generate the client from the live schema once; its modules by operationId, the schema, the package."""
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as response:  # noqa: S310 # loopback
        schema = json.loads(response.read())
    root = tmp_path_factory.mktemp("generated")
    (root / "schema.json").write_text(json.dumps(schema))
    (root / "config.yaml").write_text("post_hooks: []\n")
    tool = Path(sys.executable).parent / "openapi-python-client"
    arguments = ["--path", str(root / "schema.json"), "--output-path", str(root / PACKAGE), "--meta", "none"]
    completed = subprocess.run(
        [str(tool), "generate", *arguments, "--config", str(root / "config.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Warning" not in completed.stdout, completed.stdout
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module(PACKAGE)
        modules = {
            info.name: importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")
        }
        yield {"schema": schema, "modules": modules, "package": package}
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(generated: dict[str, Any], method: str, path: str) -> ModuleType:
    """The generated module of `method path`, found through the schema's operationId."""
    operation_id = generated["schema"]["paths"][path][method]["operationId"]
    name = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id).lstrip("_").replace("-", "_")
    (module,) = [
        m
        for full, m in generated["modules"].items()
        if full.startswith(f"{PACKAGE}.api.") and full.endswith(f".{name}")
    ]
    return module


def body_type(module: ModuleType) -> Any:
    """The model class of the operation's body (an optional body is typed `Model | Unset`)."""
    hint = get_type_hints(module.sync_detailed)["body"]
    members = [m for m in getattr(hint, "__args__", (hint,)) if hasattr(m, "from_dict")]
    assert len(members) == 1, hint  # one JSON body: never a choice of JSON, form and multipart
    return members[0]


def body(module: ModuleType, **fields: Any) -> Any:
    """The operation's typed request body, built from plain JSON values (enums and dates parsed by the model)."""
    return body_type(module).from_dict(fields)


def log_in(generated: dict[str, Any], base_url: str, username: str) -> Any:
    package = generated["package"]
    token = operation(generated, "post", "/api/v1/auth/token/")
    anonymous = package.Client(base_url=base_url)
    answer = token.sync_detailed(client=anonymous, body=body(token, username=username, password=PASSWORD))
    assert answer.status_code == 200, answer.content
    return package.AuthenticatedClient(base_url=base_url, token=answer.parsed.access)


RESOURCES = ("clients", "contacts", "deals", "activities")


def page_through(generated, client, resource, *, during_page=None, **start) -> tuple[dict[int, Any], str]:
    """Every keyset page of `resource` (parsed by the generated models); `during_page(n)` runs after page n."""
    listing = operation(generated, "get", f"/api/v1/{resource}/")
    rows: dict[int, Any] = {}
    answer = listing.sync_detailed(client=client, page_size=2, **start)
    number, token = 1, None
    while True:
        assert answer.status_code == 200, answer.content
        page = answer.parsed
        for row in page.results:
            rows[row.id] = row
        token = token or page.sync_token
        if during_page:
            during_page(resource, number)
        if not page.next_cursor:
            return rows, token
        answer = listing.sync_detailed(client=client, page_size=2, cursor=page.next_cursor)
        number += 1


class Phone:
    """The app's store: rows per resource by id, and the token of the last sync."""

    def __init__(self, generated, client) -> None:
        self.generated, self.client = generated, client
        self.rows: dict[str, dict[int, Any]] = {}
        self.token: str | None = None

    def full_sync(self, during_page=None) -> None:
        tokens = []
        for resource in RESOURCES:
            self.rows[resource], token = page_through(
                self.generated, self.client, resource, during_page=during_page, sync=True
            )
            tokens.append(token)
        self.token = tokens[0]  # the oldest: the sync began then

    def incremental_sync(self) -> None:
        feed = operation(self.generated, "get", "/api/v1/sync/changes/")
        answer = feed.sync_detailed(client=self.client, since=self.token)
        new_token = None
        while True:
            assert answer.status_code == 200, answer.content
            for gone in answer.parsed.deleted:
                self.rows.get(gone.resource, {}).pop(gone.id, None)
            new_token = new_token or answer.parsed.sync_token
            if not answer.parsed.next_cursor:
                break
            answer = feed.sync_detailed(client=self.client, cursor=answer.parsed.next_cursor)
        for resource in RESOURCES:
            changed, _token = page_through(self.generated, self.client, resource, since=self.token)
            self.rows[resource].update(changed)
        self.token = new_token

    def ids(self, resource: str) -> set[int]:
        return set(self.rows[resource])


@pytest.fixture
def department(transactional_db):
    team, other_team = TeamFactory(name="Группа 1"), TeamFactory(name="Группа 2")
    people = {
        "manager": UserFactory(username="phone_manager", role=Role.MANAGER, team=team),
        "other": UserFactory(username="phone_other", role=Role.MANAGER, team=other_team),
        "head": UserFactory(username="phone_head", role=Role.HEAD),
    }
    for user in people.values():
        user.set_password(PASSWORD)
        user.save()
    manager = people["manager"]
    clients = [ClientFactory(owner=manager, name=f"Клиент {n}") for n in range(5)]
    for client in clients:
        ContactFactory(client=client)
        DealFactory(client=client)
        ActivityFactory(client=client, kind=Activity.Kind.TASK, done_at=None, due_at=timezone.now() + timedelta(days=1))
    return people, clients


def test_every_module_of_the_generated_client_imports(generated):
    operations = sum(len(methods) for methods in generated["schema"]["paths"].values())
    api_modules = [name for name, module in generated["modules"].items() if hasattr(module, "sync_detailed")]
    assert all(name.startswith(f"{PACKAGE}.api.") for name in api_modules)
    assert len(api_modules) == operations


def test_a_phone_syncs_through_the_generated_client(generated, live_server, department):
    people, clients = department
    manager = people["manager"]
    phone = Phone(generated, log_in(generated, live_server.url, manager.username))
    head_api = log_in(generated, live_server.url, people["head"].username)

    # A concurrent writer edits during the full sync: a deal already read and one not yet read, and the head
    # reassigns a client the phone has already read.
    deals = list(Deal.objects.filter(client__in=clients).order_by("updated_at", "pk"))
    reassigned_early = Client.objects.filter(pk__in=[c.pk for c in clients]).order_by("updated_at", "pk").first()

    def writer(resource: str, number: int) -> None:
        if resource == "deals" and number == 1:
            for deal in (deals[0], deals[-1]):
                deal.title = f"{deal.title} (правка)"
                deal.save()
        if resource == "contacts" and number == 1:
            from crm.services.clients import client_reassign

            client_reassign(client=reassigned_early, to_owner=people["other"], by=people["head"], reason="Во время")

    phone.full_sync(during_page=writer)
    assert len(phone.ids("deals")) == len(clients)
    assert "(правка)" in phone.rows["deals"][deals[0].pk].title

    # The head reassigns one client away, deletes a deal, edits another, through the generated client.
    away = next(c for c in clients if c.pk != reassigned_early.pk)
    reassign = operation(generated, "post", "/api/v1/clients/{id}/reassign/")
    answer = reassign.sync_detailed(
        client=head_api, id=away.pk, body=body(reassign, owner=people["other"].pk, reason="Перераспределение")
    )
    assert answer.status_code == 200, answer.content
    remaining = list(Deal.objects.filter(client__in=clients, owner=manager).order_by("pk"))
    deleted, edited = remaining[0], remaining[1]
    delete = operation(generated, "delete", "/api/v1/deals/{id}/")
    assert delete.sync_detailed(client=head_api, id=deleted.pk).status_code == 204
    patch = operation(generated, "patch", "/api/v1/deals/{id}/")
    answer = patch.sync_detailed(client=head_api, id=edited.pk, body=body(patch, title="Новое название"))
    assert answer.status_code == 200, answer.content

    phone.incremental_sync()

    gone_clients = {reassigned_early.pk, away.pk}
    assert phone.ids("clients") == {c.pk for c in clients} - gone_clients
    assert phone.ids("contacts") == set(
        ContactPerson.objects.filter(client__owner=manager).values_list("pk", flat=True)
    )
    assert phone.ids("deals") == set(Deal.objects.filter(owner=manager).values_list("pk", flat=True))
    assert deleted.pk not in phone.ids("deals")
    assert phone.rows["deals"][edited.pk].title == "Новое название"
    assert phone.ids("activities") == set(Activity.objects.filter(client__owner=manager).values_list("pk", flat=True))
    assert not Activity.objects.filter(pk__in=phone.ids("activities"), client_id__in=gone_clients).exists()


def test_an_offline_call_with_its_next_task_sent_twice_is_one_call_and_one_task(generated, live_server, department):
    people, clients = department
    api = log_in(generated, live_server.url, people["manager"].username)
    log_call = operation(generated, "post", "/api/v1/activities/log-call/")
    call_uuid, task_uuid = uuid.uuid4(), uuid.uuid4()
    offline = body(
        log_call,
        uuid=str(call_uuid),
        client=clients[0].pk,
        direction="out",
        call_result="reached",
        note="Договорились о встрече",
        done_at=(timezone.now() - timedelta(hours=2)).isoformat(),
        next_uuid=str(task_uuid),
        next_subject="Отправить КП",
        next_due_at=(timezone.now() + timedelta(days=2)).isoformat(),
    )
    keyed = api.with_headers({"Idempotency-Key": str(uuid.uuid4())})
    first = log_call.sync_detailed(client=keyed, body=offline)
    again = log_call.sync_detailed(client=keyed, body=offline)  # the answer was lost: the phone sends it again
    later = log_call.sync_detailed(client=api, body=offline)  # and once more after a restart, without the key
    assert (first.status_code, again.status_code, later.status_code) == (201, 201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.parsed.call.id == again.parsed.call.id == later.parsed.call.id
    assert first.parsed.next_task.id == later.parsed.next_task.id
    assert Activity.objects.filter(uuid=call_uuid).count() == 1
    assert Activity.objects.filter(uuid=task_uuid, due_at__isnull=False, done_at__isnull=True).count() == 1
    assert Activity.objects.filter(client=clients[0], note="Договорились о встрече").count() == 1
