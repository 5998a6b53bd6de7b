"""Fixtures shared by every test: the people of a small department (DOMAIN.md section 1)."""

import pytest
from rest_framework.test import APIClient

from crm.models import Role
from tests.crm.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Группа 1")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Группа 2")


@pytest.fixture
def manager(team):
    return UserFactory(username="ivanov", role=Role.MANAGER, team=team)


@pytest.fixture
def other_manager(other_team):
    return UserFactory(username="petrov", role=Role.MANAGER, team=other_team)


@pytest.fixture
def teammate(team):
    return UserFactory(username="sidorov", role=Role.MANAGER, team=team)


@pytest.fixture
def team_lead(team):
    lead = UserFactory(username="lead", role=Role.TEAM_LEAD, team=team)
    team.lead = lead
    team.save()
    return lead


@pytest.fixture
def head(db):
    return UserFactory(username="head", role=Role.HEAD)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def vip_head(db):
    return UserFactory(username="vip", role=Role.VIP_HEAD)


@pytest.fixture
def service_owner(db):
    return UserFactory(username="service", role=Role.SERVICE)


@pytest.fixture
def base_manager(db):
    return UserFactory(username="base", role=Role.BASE_MANAGER)


@pytest.fixture
def api():
    """An API client; `api.force_authenticate(user)` to act as someone."""
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a figure cached by one test (ids reused on SQLite) never leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
