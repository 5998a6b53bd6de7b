"""The navigation shows each role exactly the pages it may open."""

import pytest
from django.urls import reverse


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "manager",
            {"/clients/": True, "/pipeline/": True, "/pipeline/review/": False, "/imports/": True, "/users/": False},
        ),
        (
            "team_lead",
            {"/clients/": True, "/pipeline/": True, "/pipeline/review/": True, "/imports/": True, "/users/": False},
        ),
        (
            "head",
            {"/clients/": True, "/pipeline/": True, "/pipeline/review/": True, "/imports/": True, "/users/": True},
        ),
        (
            "vip_head",
            {"/clients/": True, "/pipeline/": False, "/pipeline/review/": False, "/imports/": False, "/users/": False},
        ),
        (
            "service_owner",
            {"/clients/": False, "/pipeline/": False, "/pipeline/review/": False, "/imports/": False, "/users/": False},
        ),
        (
            "base_manager",
            {"/clients/": True, "/pipeline/": False, "/pipeline/review/": False, "/imports/": True, "/users/": False},
        ),
    ],
)
def test_the_navigation_offers_each_role_exactly_the_pages_it_may_open(db, client, request, role, links):
    user = request.getfixturevalue(role)
    logged_in(client, user)

    html = client.get(reverse("home")).content.decode()

    for path, shown in links.items():
        assert (f'href="{path}"' in html) is shown, path
        assert (client.get(path).status_code == 200) is shown, path
