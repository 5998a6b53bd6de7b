"""core/panels.py's client-card hook: registered panels render on crm's card in order; None hides one."""

from datetime import date

import pytest
from django.urls import reverse

from core import panels
from core.panels import ClientPanel, client_panel_register, client_panels_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(panels, "_CLIENT_PANELS", {})
    return panels._CLIENT_PANELS


def test_panels_in_order_and_none_hides(registry, manager):
    client_panel_register(ClientPanel("b", "t.html", lambda user, client, today: "B", order=2))
    client_panel_register(ClientPanel("a", "t.html", lambda user, client, today: "A", order=1))
    client_panel_register(ClientPanel("hidden", "t.html", lambda user, client, today: None, order=0))
    rendered = client_panels_for(client=object(), user=manager, today=date(2026, 6, 1))
    assert [(p.name, p.context) for p in rendered] == [("a", {"a": "A"}), ("b", {"b": "B"})]


def test_registering_again_replaces(registry, manager):
    client_panel_register(ClientPanel("a", "t.html", lambda user, client, today: 1))
    client_panel_register(ClientPanel("a", "t.html", lambda user, client, today: 2))
    assert [p.context for p in client_panels_for(client=None, user=manager, today=date(2026, 6, 1))] == [{"a": 2}]


def test_the_client_card_renders_a_registered_panel_with_the_client(registry, client, manager):
    from tests.crm.factories import ClientFactory

    card_client = ClientFactory(owner=manager)
    seen = []

    def data(user, c, today):
        seen.append((user, c))
        return "x"

    client_panel_register(ClientPanel("probe", "vip/_client_referrals.html", data))
    client.force_login(manager)
    response = client.get(reverse("client_detail", args=[card_client.pk]))
    assert response.status_code == 200
    assert seen == [(manager, card_client)]
    assert 'data-testid="vip-client-referrals"' in response.content.decode()
