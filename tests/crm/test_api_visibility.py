"""Every API route, list and detail, shows each role exactly the rows DOMAIN.md section 1 allows;
someone else's object answers 404 and stays as it was."""

from datetime import UTC, datetime

import pytest

from crm.models import (
    Activity,
    Brand,
    Client,
    ContactPerson,
    Deal,
    ImportJob,
    LostReason,
    MarketSegment,
    Product,
    ProductCategory,
    SaleLine,
)
from tests.conftest import api_as
from tests.crm.factories import (
    ActivityFactory,
    BrandFactory,
    CategoryFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SaleLineFactory,
    SegmentFactory,
)

ROLES = ["manager", "other_manager", "team_lead", "head", "admin_user", "vip_head", "service_owner", "base_manager"]
# Who owns rows in the world below: two managers of team 1 (manager, teammate) and one of team 2.
OWNERS = ["manager", "teammate", "other_manager"]

EVERYONE = set(OWNERS)
NOBODY: set[str] = set()

# resource -> role -> the owners whose rows the role sees (DOMAIN.md section 1 and the visible_to methods).
OWNED = {
    "clients": {
        "manager": {"manager"},
        "other_manager": {"other_manager"},
        "team_lead": {"manager", "teammate"},
        "head": EVERYONE,
        "admin_user": EVERYONE,
        "vip_head": EVERYONE,
        "base_manager": EVERYONE,
        "service_owner": NOBODY,
    },
    "deals": {
        "manager": {"manager"},
        "other_manager": {"other_manager"},
        "team_lead": {"manager", "teammate"},
        "head": EVERYONE,
        "admin_user": EVERYONE,
        "vip_head": NOBODY,
        "base_manager": NOBODY,
        "service_owner": NOBODY,
    },
    "activities": {
        "manager": {"manager"},
        "other_manager": {"other_manager"},
        "team_lead": {"manager", "teammate"},
        "head": EVERYONE,
        "admin_user": EVERYONE,
        "vip_head": NOBODY,
        "base_manager": NOBODY,
        "service_owner": NOBODY,
    },
    "sales": {
        "manager": {"manager"},
        "other_manager": {"other_manager"},
        "team_lead": {"manager", "teammate"},
        "head": EVERYONE,
        "admin_user": EVERYONE,
        "vip_head": EVERYONE,
        "base_manager": NOBODY,
        "service_owner": NOBODY,
    },
    "imports": {
        "manager": {"manager"},
        "other_manager": {"other_manager"},
        "team_lead": NOBODY,
        "head": EVERYONE,
        "admin_user": EVERYONE,
        "vip_head": NOBODY,
        "base_manager": NOBODY,
        "service_owner": NOBODY,
    },
}
OWNED["contacts"] = OWNED["clients"]

SHARED_MODELS = {
    "products": Product,
    "product-categories": ProductCategory,
    "brands": Brand,
    "segments": MarketSegment,
    "lost-reasons": LostReason,
}
SHARED_LISTS = list(SHARED_MODELS)


@pytest.fixture
def world(manager, teammate, other_manager, team_lead, head, admin_user, vip_head, service_owner, base_manager):
    people = {
        "manager": manager,
        "teammate": teammate,
        "other_manager": other_manager,
        "team_lead": team_lead,
        "head": head,
        "admin_user": admin_user,
        "vip_head": vip_head,
        "service_owner": service_owner,
        "base_manager": base_manager,
    }
    rows: dict[str, dict[str, object]] = {name: {} for name in OWNED}
    for key in OWNERS:
        owner = people[key]
        client = ClientFactory(owner=owner)
        deal = DealFactory(client=client)
        rows["clients"][key] = client
        rows["contacts"][key] = ContactFactory(client=client)
        rows["deals"][key] = deal
        rows["activities"][key] = ActivityFactory(client=client, deal=deal)
        rows["sales"][key] = SaleLineFactory(client=client)
        rows["imports"][key] = ImportJob.objects.create(
            kind=ImportJob.Kind.CLIENTS, file=f"imports/{key}.csv", original_name=f"{key}.csv", created_by=owner
        )
    ProductFactory(category=CategoryFactory(name="Камеры"), brand=BrandFactory(name="Hikvision"))
    SegmentFactory(name="Ритейл")
    LostReasonFactory(name="Цена")
    return people, rows


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", sorted(OWNED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_rows_it_may_see(world, role, resource):
    people, rows = world
    expected = {rows[resource][key].pk for key in OWNED[resource][role]}

    assert ids(api_as(people[role]).get(f"/api/v1/{resource}/")) == expected


@pytest.mark.parametrize("resource", sorted(OWNED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_details_it_may_see_and_gets_404_for_the_rest(world, role, resource):
    people, rows = world
    api = api_as(people[role])
    for key, obj in rows[resource].items():
        response = api.get(f"/api/v1/{resource}/{obj.pk}/")
        assert response.status_code == (200 if key in OWNED[resource][role] else 404), (key, response.content)


@pytest.mark.parametrize("resource", SHARED_LISTS)
@pytest.mark.parametrize("role", ROLES)
def test_reference_lists_are_shared_by_every_role(world, role, resource):
    people, _rows = world
    api = api_as(people[role])

    listed = ids(api.get(f"/api/v1/{resource}/"))

    assert listed == set(SHARED_MODELS[resource].objects.values_list("pk", flat=True))
    assert listed
    assert api.get(f"/api/v1/{resource}/{min(listed)}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("manager", {"manager"}),
        ("other_manager", {"other_manager"}),
        ("team_lead", {"team_lead", "manager", "teammate"}),
        ("head", set(ROLES) | {"teammate"}),
        ("admin_user", set(ROLES) | {"teammate"}),
        ("vip_head", {"vip_head"}),
        ("service_owner", {"service_owner"}),
        ("base_manager", {"base_manager"}),
    ],
)
def test_users_list_shows_the_head_everyone_a_team_lead_the_team_and_others_themselves(world, role, sees):
    people, _rows = world
    api = api_as(people[role])

    assert ids(api.get("/api/v1/users/")) == {people[key].pk for key in sees}
    for key in set(people) - sees:
        assert api.get(f"/api/v1/users/{people[key].pk}/").status_code == 404, key


@pytest.mark.parametrize(
    ("role", "team_names"),
    [
        ("manager", {"Группа 1"}),
        ("team_lead", {"Группа 1"}),
        ("other_manager", {"Группа 2"}),
        ("head", {"Группа 1", "Группа 2"}),
        ("admin_user", {"Группа 1", "Группа 2"}),
        ("vip_head", set()),
        ("service_owner", set()),
        ("base_manager", set()),
    ],
)
def test_teams_list_shows_the_head_every_team_and_others_their_own(world, role, team_names):
    people, _rows = world

    listed = api_as(people[role]).get("/api/v1/teams/").json()["results"]

    assert {row["name"] for row in listed} == team_names


@pytest.mark.parametrize("role", ROLES)
def test_me_answers_the_current_user_with_role_and_team(world, role):
    people, _rows = world
    user = people[role]

    body = api_as(user).get("/api/v1/me/").json()

    assert (body["id"], body["role"], body["team"]) == (user.pk, user.role, user.team_id)
    assert body["team_name"] == (user.team.name if user.team else None)


def snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


THE_OTHERS = [
    ("get", "clients", "", None),
    ("patch", "clients", "", {"name": "Чужой"}),
    ("put", "clients", "", {"name": "Чужой"}),
    ("delete", "clients", "", None),
    ("post", "clients", "reassign/", {"owner": "me", "reason": "хочу"}),
    ("get", "contacts", "", None),
    ("patch", "contacts", "", {"full_name": "Чужой"}),
    ("get", "deals", "", None),
    ("patch", "deals", "", {"title": "Чужая"}),
    ("delete", "deals", "", None),
    ("post", "deals", "move/", {"stage": "market", "plan_month": "2026-12-01"}),
    ("post", "deals", "lose/", {"reason": "reason"}),
    ("post", "deals", "payments/", {"amount": "100.00", "paid_on": "2026-11-20"}),
    ("get", "deals", "history/", None),
    ("get", "activities", "", None),
    ("patch", "activities", "", {"subject": "Чужое"}),
    ("post", "activities", "complete/", {}),
    ("get", "sales", "", None),
]
MODELS = {"clients": Client, "contacts": ContactPerson, "deals": Deal, "activities": Activity, "sales": SaleLine}


@pytest.mark.parametrize(("method", "resource", "suffix", "body"), THE_OTHERS)
def test_a_manager_gets_404_for_another_managers_object_and_it_stays_unchanged(world, method, resource, suffix, body):
    people, rows = world
    target = rows[resource]["other_manager"]
    before = snapshot(target)
    if body and body.get("owner") == "me":
        body = {**body, "owner": people["manager"].pk}
    if body and body.get("reason") == "reason":
        body = {"reason": LostReasonFactory(name="Цена").pk}
    stage_changes = target.stage_changes.count() if resource == "deals" else None

    response = getattr(api_as(people["manager"]), method)(
        f"/api/v1/{resource}/{target.pk}/{suffix}", body, format="json"
    )

    assert response.status_code == 404
    assert MODELS[resource].objects.filter(pk=target.pk).exists()
    assert snapshot(target) == before
    if resource == "deals":
        assert target.stage_changes.count() == stage_changes
        assert target.payments.count() == 0


@pytest.mark.parametrize("role", ["vip_head", "base_manager", "service_owner"])
def test_roles_without_deals_get_404_for_a_deal_and_it_stays_unchanged(world, role):
    people, rows = world
    deal = rows["deals"]["manager"]
    before = snapshot(deal)

    response = api_as(people[role]).post(f"/api/v1/deals/{deal.pk}/move/", {"stage": "market"}, format="json")

    assert response.status_code == (403 if role == "service_owner" else 404)
    assert snapshot(deal) == before


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/clients/", {"name": "ООО Сервис"}),
        ("post", "/api/v1/contacts/", {"full_name": "Иванов"}),
        ("post", "/api/v1/deals/", {"title": "Сделка"}),
        ("post", "/api/v1/activities/", {"kind": "call", "subject": "Звонок"}),
        ("patch", "/api/v1/clients/1/", {"name": "x"}),
        ("post", "/api/v1/products/", {"sku": "X-1", "name": "Товар"}),
    ],
)
def test_the_service_owner_gets_403_on_every_write_to_the_crm_core(world, method, url, body):
    people, _rows = world
    counts = (Client.objects.count(), Deal.objects.count(), Activity.objects.count())

    response = getattr(api_as(people["service_owner"]), method)(url, body, format="json")

    assert response.status_code == 403
    assert (Client.objects.count(), Deal.objects.count(), Activity.objects.count()) == counts


def test_anonymous_requests_are_refused_on_every_resource(world, api):
    for resource in [*OWNED, *SHARED_LISTS, "users", "teams", "me"]:
        assert api.get(f"/api/v1/{resource}/").status_code == 401, resource


def test_the_sale_lines_a_manager_sold_to_another_managers_client_are_his_too(manager, other_manager):
    client = ClientFactory(owner=other_manager)
    line = SaleLineFactory(client=client, manager=manager)
    SaleLineFactory(client=client, manager=other_manager)

    assert ids(api_as(manager).get("/api/v1/sales/")) == {line.pk}


def test_an_activity_logged_by_the_vip_head_is_seen_by_the_vip_head(vip_head, manager):
    client = ClientFactory(owner=manager)
    activity = ActivityFactory(client=client, owner=vip_head, done_at=datetime(2026, 11, 1, tzinfo=UTC))

    assert ids(api_as(vip_head).get("/api/v1/activities/")) == {activity.pk}
