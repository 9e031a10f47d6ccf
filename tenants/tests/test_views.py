from __future__ import annotations

from django.urls import reverse

from integration_mapping.testing import P_INDICATORS, World
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


def test_home_shows_vision_and_all_indicators_with_coverage(world: World) -> None:
    response = world.client_for(world.a_viewer).get(reverse("municipality", kwargs={"slug": world.a.slug}))
    rows = response.context["rows"]
    assert [row.indicator.number for row in rows] == list(range(1, 15))
    by_code = {row.indicator.code: row for row in rows}
    assert by_code["work"].by_municipality
    assert by_code["education"].partners == ["Partner P"]
    assert by_code["safety"].is_blind_spot
    assert len(response.context["blind_spots"]) == 14 - 3 - 2
    assert "Samen verder." in response.content.decode()


def test_partner_home_shows_only_assigned_indicators(world: World) -> None:
    response = world.client_for(world.partner_user).get(reverse("municipality", kwargs={"slug": world.a.slug}))
    assert sorted(row.indicator.code for row in response.context["rows"]) == sorted(P_INDICATORS)
    content = response.content.decode()
    assert "Huisvesting" not in content and "Wonen" not in content


def test_administrator_edits_the_vision(world: World) -> None:
    url = reverse("edit_vision", kwargs={"slug": world.a.slug})
    response = world.client_for(world.a_admin).post(url, {"vision": "Iedereen doet mee."})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.vision == "Iedereen doet mee."


def test_editor_cannot_change_the_vision(world: World) -> None:
    url = reverse("edit_vision", kwargs={"slug": world.a.slug})
    assert world.client_for(world.a_editor).post(url, {"vision": "Gekaapt"}).status_code == 403
    world.a.refresh_from_db()
    assert world.a.vision == "Samen verder."


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
