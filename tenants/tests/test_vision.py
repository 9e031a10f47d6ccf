"""The vision: guided by the source document's prompts, every version kept with who wrote it and
when, read by everyone in the municipality, written by administrators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration_mapping.testing import World
from tenants.forms import VISION_PROMPTS
from tenants.models import AuditAction, AuditEvent, Municipality, User, VisionVersion
from tenants.services import save_vision

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def vision_url(world: World) -> str:
    return reverse("edit_vision", kwargs={"slug": world.a.slug})


def home_url(world: World) -> str:
    return reverse("municipality", kwargs={"slug": world.a.slug})


def named(world: World, user: User, first_name: str) -> User:
    user.first_name = first_name
    user.save(update_fields=["first_name"])
    return user


def get(world: World, user: User, url: str) -> str:
    response = world.client_for(user).get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_every_save_keeps_a_version_and_the_home_shows_the_newest(world: World) -> None:
    client = world.client_for(named(world, world.a_admin, "Anna"))
    first = {"statement": "Eerste visie.", "who": "Iedereen die hier komt wonen."}
    assert client.post(vision_url(world), first).status_code == 302
    second_admin = named(world, world.a_editor, "Bram")
    world.a.memberships.filter(user=second_admin).update(role="administrator")
    second = {"statement": "Tweede visie.", "success": "Werk dat past.", "reciprocity": "Van elkaar leren."}
    assert world.client_for(second_admin).post(vision_url(world), second).status_code == 302

    versions = list(world.a.vision_versions.all())
    assert [(v.statement, v.written_by_name) for v in versions] == [
        ("Tweede visie.", "Bram"),
        ("Eerste visie.", "Anna"),
    ]
    assert versions[0].answers == {"success": "Werk dat past.", "reciprocity": "Van elkaar leren."}
    assert versions[1].answers == {"who": "Iedereen die hier komt wonen."}

    home = get(world, world.a_viewer, home_url(world))
    assert "Tweede visie." in home and "Eerste visie." not in home
    assert vision_url(world) in home and "Read the whole vision and its history" in home

    page = get(world, world.a_viewer, vision_url(world))
    history = page[page.index('id="history-heading"') :]
    assert history.index("Tweede visie.") < history.index("Eerste visie.")
    assert history.index("Bram") < history.index("Anna")
    assert history.count("<details") == 2
    current = page[: page.index('id="history-heading"')]
    assert "Tweede visie." in current and "Werk dat past." in current and str(VISION_PROMPTS["success"]) in current
    assert "Iedereen die hier komt wonen." not in current  # an answer of the older version only


def test_saving_records_a_vision_edit_in_the_audit_log(world: World) -> None:
    world.client_for(world.a_admin).post(vision_url(world), {"statement": "Samen."})
    event = AuditEvent.objects.get(action=AuditAction.VISION_EDIT)
    assert (event.municipality, event.actor, event.actor_name) == (world.a, world.a_admin, world.a_admin.username)


def test_administrator_gets_the_guided_form_with_the_prompts_first(world: World) -> None:
    save_vision(
        municipality=world.a, statement="Huidige visie.", answers={"society": "Ook de buren."}, by=world.a_admin
    )
    response = world.client_for(world.a_admin).get(vision_url(world), headers={"accept-language": "en"})
    form = response.context["form"]
    assert list(form.fields) == [*VISION_PROMPTS, "statement"]
    assert form["statement"].value() == "Huidige visie." and form["society"].value() == "Ook de buren."
    content = response.content.decode()
    assert content.index('name="who"') < content.index('name="statement"')


def test_form_starts_from_a_vision_written_before_versions_were_kept(world: World) -> None:
    assert not world.a.vision_versions.exists()
    response = world.client_for(world.a_admin).get(vision_url(world), headers={"accept-language": "en"})
    assert response.context["form"]["statement"].value() == "Samen verder."
    content = response.content.decode()
    assert "Samen verder." in content[: content.index('id="history-heading"')]
    assert "No versions have been saved in the application yet." in content


def test_answers_of_an_outdated_version_are_not_shown_as_the_current_ones(world: World) -> None:
    save_vision(municipality=world.a, statement="Oud.", answers={"who": "Oud antwoord."}, by=world.a_admin)
    Municipality.objects.filter(pk=world.a.pk).update(vision="Elders gewijzigd.")  # e.g. in the Django admin
    page = get(world, world.a_viewer, vision_url(world))
    current = page[: page.index('id="history-heading"')]
    assert "Elders gewijzigd." in current and "Oud antwoord." not in current
    assert "Oud antwoord." in page[page.index('id="history-heading"') :]


@pytest.mark.parametrize("user", ["a_viewer", "a_editor"])
def test_viewers_and_editors_read_the_vision_and_history_without_a_form(world: World, user: str) -> None:
    save_vision(municipality=world.a, statement="Gelezen.", answers={}, by=world.a_admin)
    response = world.client_for(getattr(world, user)).get(vision_url(world))
    assert response.status_code == 200
    assert response.context["form"] is None
    content = response.content.decode()
    assert "Gelezen." in content and '<form method="post" novalidate' not in content


@pytest.mark.parametrize("user", ["a_viewer", "a_editor"])
def test_only_administrators_can_post_a_new_version(world: World, user: str) -> None:
    response = world.client_for(getattr(world, user)).post(vision_url(world), {"statement": "Gekaapt."})
    assert response.status_code == 403
    assert not VisionVersion.objects.exists()
    world.a.refresh_from_db()
    assert world.a.vision == "Samen verder."


def test_partner_cannot_read_the_vision_page(world: World) -> None:
    assert world.client_for(world.partner_user).get(vision_url(world)).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_municipality_gets_404(world: World, method: str) -> None:
    response = getattr(world.client_for(world.b_admin), method)(vision_url(world), {"statement": "B."})
    assert response.status_code == 404
    assert not VisionVersion.objects.exists()


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = world.client_for(None).get(vision_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_empty_statement_is_a_form_error_and_saves_nothing(world: World) -> None:
    response = world.client_for(world.a_admin).post(vision_url(world), {"statement": "  ", "who": "Iedereen."})
    assert response.status_code == 400
    assert response.context["form"].errors["statement"]
    assert not VisionVersion.objects.exists()


def test_too_long_an_answer_is_a_form_error(world: World) -> None:
    response = world.client_for(world.a_admin).post(vision_url(world), {"statement": "Kort.", "who": "x" * 3001})
    assert response.status_code == 400 and response.context["form"].errors["who"]
    assert not VisionVersion.objects.exists()


def test_the_vision_and_its_answers_are_escaped_everywhere(world: World) -> None:
    data = {"statement": SCRIPT, "who": SCRIPT, "reciprocity": SCRIPT}
    assert world.client_for(world.a_admin).post(vision_url(world), data).status_code == 302
    survey_kwargs = {"slug": world.a.slug, "public_id": world.survey.public_id}
    pages = {
        "vision": vision_url(world),
        "home": home_url(world),
        "dashboard": reverse("results", kwargs=survey_kwargs),
        "report": reverse("results_report", kwargs=survey_kwargs),
    }
    for name, url in pages.items():
        content = get(world, world.a_admin, url)
        assert SCRIPT not in content, name
        assert ESCAPED in content, name


def test_dashboard_and_report_show_the_statement_and_the_answers_of_the_current_version(world: World) -> None:
    save_vision(
        municipality=world.a,
        statement="Integratie doen we samen.",
        answers={"who": "Iedereen die nieuw is.", "society": "De stad verandert mee."},
        by=world.a_admin,
    )
    survey_kwargs = {"slug": world.a.slug, "public_id": world.survey.public_id}
    dashboard = get(world, world.a_viewer, reverse("results", kwargs=survey_kwargs))
    block = dashboard[dashboard.index('id="vision-heading"') : dashboard.index("</details>")]
    for text in ("Integratie doen we samen.", "Iedereen die nieuw is.", "De stad verandert mee."):
        assert text in block
    assert str(VISION_PROMPTS["who"]) in block and str(VISION_PROMPTS["success"]) not in block

    report = get(world, world.a_viewer, reverse("results_report", kwargs=survey_kwargs))
    section = report[report.index('class="report-vision') :]
    section = section[: section.index("</section>")]
    assert f'<h3 class="h6 mt-3 mb-1">{VISION_PROMPTS["society"]}</h3>' in section
    assert "De stad verandert mee." in section and "Integratie doen we samen." in section


def test_partner_dashboard_has_no_link_to_the_vision_page(world: World) -> None:
    save_vision(municipality=world.a, statement="Samen.", answers={"who": "Iedereen."}, by=world.a_admin)
    survey_kwargs = {"slug": world.a.slug, "public_id": world.survey.public_id}
    response = world.client_for(world.partner_user).get(reverse("results", kwargs=survey_kwargs))
    assert response.status_code == 200
    assert vision_url(world) not in response.content.decode()
