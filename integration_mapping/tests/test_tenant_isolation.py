"""Every tenant-scoped page, tried by everyone who should not get in.

Each row: URL name, the keyword arguments built from the world (for municipality A), and the lowest
level that may open it. Add every new tenant view here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration_mapping.testing import World
from tenants.access import Level

PAGES = [
    ("municipality", Level.PARTNER),
    ("edit_vision", Level.ADMINISTRATOR),
]

USERS_BY_LEVEL = {
    Level.PARTNER: "partner_user",
    Level.VIEWER: "a_viewer",
    Level.EDITOR: "a_editor",
    Level.ADMINISTRATOR: "a_admin",
}


def url_for(name: str, world: World) -> str:
    return reverse(name, kwargs={"slug": world.a.slug})


@pytest.mark.parametrize(("name", "need"), PAGES)
def test_anonymous_is_sent_to_login(world: World, name: str, need: Level) -> None:
    url = url_for(name, world)
    response = world.client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "need"), PAGES)
@pytest.mark.parametrize("outsider", ["b_admin", "nobody"])
def test_other_tenant_gets_404(world: World, name: str, need: Level, outsider: str) -> None:
    client = world.client_for(getattr(world, outsider))
    assert client.get(url_for(name, world)).status_code == 404
    assert client.post(url_for(name, world), {}).status_code in {404, 405}


@pytest.mark.parametrize(("name", "need"), PAGES)
def test_unknown_municipality_gets_the_same_404(world: World, name: str, need: Level) -> None:
    client = world.client_for(world.a_admin)
    assert client.get(reverse(name, kwargs={"slug": "does-not-exist"})).status_code == 404


@pytest.mark.parametrize(("name", "need"), PAGES)
def test_too_little_role_gets_403_and_enough_gets_in(world: World, name: str, need: Level) -> None:
    for level, attribute in USERS_BY_LEVEL.items():
        response = world.client_for(getattr(world, attribute)).get(url_for(name, world))
        expected = 200 if level >= need else 403
        assert response.status_code == expected, (attribute, response.status_code)
