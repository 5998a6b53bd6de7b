"""The navigation shows each role exactly the pages it may open."""

import pytest
from django.urls import reverse


def logged_in(client, user):
    client.force_login(user)
    return client


PAGES = [
    "/clients/",
    "/pipeline/",
    "/pipeline/review/",
    "/imports/",
    "/users/",
    "/prospects/",
    "/long-list/",
    "/reassignments/",
    "/reports/sources/",
    "/settings/",
    "/plans/",
    "/plans/work/",
    "/plans/fact/",
    "/pay/",
    "/pay/schemes/",
    "/tasks/",
]
# Which of PAGES each role finds in the navigation and may open (1) or neither (0).
ACCESS = {
    "manager": [1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1],
    "team_lead": [1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1],
    "head": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    "vip_head": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    "service_owner": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "base_manager": [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
}


@pytest.mark.parametrize("role", list(ACCESS))
def test_the_navigation_offers_each_role_exactly_the_pages_it_may_open(db, client, request, role):
    user = request.getfixturevalue(role)
    logged_in(client, user)

    html = client.get(reverse("home")).content.decode()

    for path, allowed in zip(PAGES, ACCESS[role], strict=True):
        shown = bool(allowed)
        assert (f'href="{path}"' in html) is shown, path
        assert (client.get(path).status_code == 200) is shown, path
