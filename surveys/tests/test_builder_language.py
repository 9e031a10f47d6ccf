"""The builder speaks the officer's language, also in the parts Django fills in."""

from __future__ import annotations

from django.urls import reverse

from integration_mapping.testing import World


def test_the_empty_choice_of_a_select_box_is_dutch_in_the_dutch_interface(world: World) -> None:
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    links = reverse("channel_list", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id})
    content = client.get(links).content.decode()
    assert '<html lang="nl"' in content
    assert "- Select an option -" not in content
    assert "- Kies een optie -" in content
