"""Pages that gather panels from several apps (My day, the head's pipeline review) take them from this registry.

An app higher up registers its panels in its `AppConfig.ready()`, the way Wagtail's `construct_homepage_panels`
hook lets apps add panels to the dashboard: the page that shows them never imports the app that makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm.models import User

# A panel's data for a user on a day; None hides the panel.
PanelData = Callable[["User", date], Any]


@dataclass(frozen=True)
class Panel:
    name: str  # the template reads its data under this name
    template: str
    data: PanelData
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict[str, Any]


_PANELS: dict[str, list[Panel]] = {}

MY_DAY = "my_day"
PIPELINE_REVIEW = "pipeline_review"
# The top of the home of those who run people (the head, the admin, a team lead): analytics puts the dashboard here,
# so `/` shows it while crm's home (crm/views/home.py) never imports analytics.
DASHBOARD = "dashboard"


def panel_register(page: str, panel: Panel) -> None:
    """Add `panel` to `page`; registering a panel of the same name again replaces it (ready() may run twice)."""
    panels = [p for p in _PANELS.get(page, []) if p.name != panel.name]
    _PANELS[page] = sorted([*panels, panel], key=lambda p: (p.order, p.name))


def panels_for(page: str, *, user: User, today: date) -> list[RenderedPanel]:
    """The page's panels with their data for `user` on `today`, in order; panels with no data are left out."""
    rendered = []
    for panel in _PANELS.get(page, []):
        data = panel.data(user, today)
        if data is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, {panel.name: data}))
    return rendered


# The homes of the roles that do not sell: cards that each lead to a page the user works in, with today's figure.
HOME = "home"


@dataclass(frozen=True)
class HomeLink:
    """One card of a home page: what the page is, its figure of today (already formatted) and where it leads."""

    key: str  # stable, for tests and data-testid
    title: str
    url: str
    figure: str = ""
    note: str = ""
    warn: bool = False


def home_links(*, user: User, today: date) -> list[HomeLink]:
    """The home cards registered for `user`, in order (each panel's data is a HomeLink or None)."""
    return [panel.context[panel.name] for panel in panels_for(HOME, user=user, today=today)]


# The client card's panels: an app higher up (vip) shows what it knows of the client on crm's card, which never
# imports it. The data reads (user, client, today) and must read through `visible_to(user)`; None hides the panel.
ClientPanelData = Callable[["User", Any, date], Any]

_CLIENT_PANELS: dict[str, ClientPanel] = {}


@dataclass(frozen=True)
class ClientPanel:
    name: str  # the template reads its data under this name
    template: str
    data: ClientPanelData
    order: int = 100


def client_panel_register(panel: ClientPanel) -> None:
    """Add a panel to the client card; registering the same name again replaces it."""
    _CLIENT_PANELS[panel.name] = panel


def client_panels_for(*, client: Any, user: User, today: date) -> list[RenderedPanel]:
    """The client card's panels with their data, in order; panels with no data are left out."""
    rendered = []
    for panel in sorted(_CLIENT_PANELS.values(), key=lambda p: (p.order, p.name)):
        data = panel.data(user, client, today)
        if data is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, {panel.name: data}))
    return rendered
