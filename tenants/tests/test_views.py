from __future__ import annotations

import re

from django.urls import reverse

from integration_mapping.testing import World
from tenants.models import Municipality, PartnerKind
from tenants.services import assign_partner


def test_member_of_one_municipality_lands_on_its_home(world: World) -> None:
    response = world.client_for(world.a_editor).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("municipality", kwargs={"slug": world.a.slug})


def test_partner_lands_on_the_list_of_its_municipalities(world: World) -> None:
    other = Municipality.objects.create(name="Gemeente C", slug="gemeente-c")
    assign_partner(
        municipality=other, partner_name="Partner P", kind=PartnerKind.LANGUAGE_SCHOOL, indicator_codes=["safety"]
    )
    response = world.client_for(world.partner_user).get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gemeente A" in content and "Gemeente C" in content
    assert "Gemeente B" not in content


def test_user_without_membership_is_told_so(world: World) -> None:
    response = world.client_for(world.nobody).get(reverse("home"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "not linked to a municipality" in response.content.decode()


def test_home_shows_the_vision_and_the_blind_spots(world: World) -> None:
    response = world.client_for(world.a_viewer).get(reverse("municipality", kwargs={"slug": world.a.slug}))
    blind_spots = {row.indicator.code for row in response.context["blind_spots"]}
    # 14 indicators, minus A's own 3 and Partner P's 2.
    assert len(blind_spots) == 14 - 3 - 2
    assert "safety" in blind_spots and "work" not in blind_spots and "education" not in blind_spots
    assert "Samen verder." in response.content.decode()


def test_partner_home_sends_the_partner_to_its_workspace(world: World) -> None:
    response = world.client_for(world.partner_user).get(reverse("municipality", kwargs={"slug": world.a.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("partner_workspace", kwargs={"slug": world.a.slug})


def test_staff_home_links_the_coverage_map_first(world: World) -> None:
    response = world.client_for(world.a_viewer).get(
        reverse("municipality", kwargs={"slug": world.a.slug}), headers={"accept-language": "en"}
    )
    content = response.content.decode()
    nav = content[content.index('aria-label="Work areas"') :]
    links = re.findall(r'href="([^"]+)"', nav[: nav.index("</nav>")])
    assert links[:2] == [
        reverse("coverage", kwargs={"slug": world.a.slug}),
        reverse("survey_list", kwargs={"slug": world.a.slug}),
    ]
    heading = content[content.index('id="coverage-heading"') :]
    assert heading[: heading.index("</h2>")].count(reverse("coverage", kwargs={"slug": world.a.slug})) == 1


def test_administrator_edits_the_vision(world: World) -> None:
    url = reverse("edit_vision", kwargs={"slug": world.a.slug})
    response = world.client_for(world.a_admin).post(url, {"statement": "Iedereen doet mee.", "who": "Iedereen."})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.vision == "Iedereen doet mee."
    assert world.a.vision_versions.get().answers == {"who": "Iedereen."}


def test_editor_cannot_change_the_vision(world: World) -> None:
    url = reverse("edit_vision", kwargs={"slug": world.a.slug})
    assert world.client_for(world.a_editor).post(url, {"statement": "Gekaapt"}).status_code == 403
    world.a.refresh_from_db()
    assert world.a.vision == "Samen verder."
    assert not world.a.vision_versions.exists()


def test_vision_text_is_escaped(world: World) -> None:
    world.a.vision = '<script>alert("x")</script>'
    world.a.save()
    content = world.client_for(world.a_viewer).get(reverse("municipality", kwargs={"slug": world.a.slug})).content
    assert b'<script>alert("x")</script>' not in content
    assert b"&lt;script&gt;" in content


def test_home_uses_a_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:
    client = world.client_for(world.a_viewer)
    with django_assert_max_num_queries(10):
        client.get(reverse("municipality", kwargs={"slug": world.a.slug}))
