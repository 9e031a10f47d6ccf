"""Observations beside the figures: on the results' indicator page and, when chosen, in the printed report."""

from __future__ import annotations

import datetime
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import World, add_education_question, question
from observations import services as observation_services
from observations.models import Method, Observation
from surveys import services
from surveys.models import Survey
from tenants.models import PartnerOrganisation, User

SCRIPT = "<script>alert(1)</script>"


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def observe(
    world: World,
    codes: list[str],
    *,
    title: str,
    text: str = "Heard at the language café.",
    partner: PartnerOrganisation | None = None,
    in_report: bool = False,
) -> Observation:
    observation = observation_services.create_observation(
        municipality=world.a,
        partner=partner,
        title=title,
        text=text,
        observed_on=datetime.date(2026, 10, 5),
        method=Method.ACTION_RESEARCH,
        indicators=Indicator.objects.filter(code__in=codes),
        by=world.a_editor,
    )
    if in_report:
        observation_services.set_in_report(observation=observation, in_report=True, by=world.a_editor)
    return observation


def respond(survey: Survey, count: int) -> None:
    """``count`` completed respondents without work who rarely feel alone."""
    answers = {question(survey, "Do you have paid work?"): "no", question(survey, "I often feel alone."): 2}
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=answers)
        services.submit_response(response=response, asked={each.pk for each in answers})


@pytest.fixture
def survey(world: World) -> Survey:
    """The world's survey (Work, Bonds) with P's indicator Education added, published."""
    add_education_question(world.survey)
    services.publish(survey=world.survey)
    return world.survey


def indicator_url(survey: Survey, code: str) -> str:
    return reverse(
        "results_indicator", kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, "code": code}
    )


def report_url(survey: Survey) -> str:
    return reverse("results_report", kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})


def observations_section(page: str) -> str:
    start = page.index('id="observations-heading"')
    return page[start : page.index("</section>", start)]


# --- The indicator page --------------------------------------------------------------------------


def test_observation_is_shown_beside_the_figures(survey: Survey, world: World) -> None:
    respond(survey, 12)
    observe(world, ["bonds"], title="Neighbours meet", text="They cook together.\nEvery Friday.")
    observe(world, ["work"], title="About work only")
    response = client_for(world.a_viewer).get(indicator_url(survey, "bonds"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="indicator-table"' in page  # the figures are shown
    section = observations_section(page)
    assert "Neighbours meet" in section and "About work only" not in section
    assert "5 October 2026" in section and "Action research" in section and "Gemeente A" in section
    assert "<p>They cook together.<br>Every Friday.</p>" in section
    list_url = reverse("observation_list", kwargs={"slug": world.a.slug})
    assert f'href="{list_url}?indicator=bonds"' in section


def test_observations_are_shown_even_when_the_figures_are_too_few(survey: Survey, world: World) -> None:
    respond(survey, 3)
    observe(world, ["work"], title="Seen anyway")
    response = client_for(world.a_viewer).get(indicator_url(survey, "work"))
    assert response.context["result"].is_hidden
    assert "Seen anyway" in observations_section(response.content.decode())


def test_add_link_for_editors_and_partners_not_for_viewers(survey: Survey, world: World) -> None:
    create = reverse("observation_create", kwargs={"slug": world.a.slug})
    viewer = client_for(world.a_viewer).get(indicator_url(survey, "work")).content.decode()
    assert create not in viewer
    editor = client_for(world.a_editor).get(indicator_url(survey, "work")).content.decode()
    assert f"{create}?indicator=work&amp;next=" in editor
    partner = client_for(world.partner_user).get(indicator_url(survey, "education")).content.decode()
    assert f"{create}?indicator=education&amp;next=" in partner


def test_adding_from_the_indicator_page_returns_there(survey: Survey, world: World) -> None:
    page = indicator_url(survey, "education")
    response = client_for(world.partner_user).post(
        reverse("observation_create", kwargs={"slug": world.a.slug}),
        {
            "title": "Evening classes are full",
            "text": "Several people asked for more evening classes.",
            "observed_on": "2026-09-01",
            "method": Method.OBSERVATION,
            "indicators": [Indicator.objects.get(code="education").pk],
            "next": page,
        },
    )
    assert response.status_code == 302 and response["Location"] == page
    assert "Evening classes are full" in client_for(world.a_viewer).get(page).content.decode()


def test_partner_sees_observations_on_its_indicator_with_only_its_chips(survey: Survey, world: World) -> None:
    observe(world, ["education", "work"], title="Mixed")
    response = client_for(world.partner_user).get(indicator_url(survey, "education"))
    section = observations_section(response.content.decode())
    assert "Mixed" in section
    assert "?indicator=education" in section and "?indicator=work" not in section
    staff = observations_section(client_for(world.a_viewer).get(indicator_url(survey, "education")).content.decode())
    assert "?indicator=work" in staff


def test_editor_chooses_an_observation_for_the_report_from_the_indicator_page(survey: Survey, world: World) -> None:
    observation = observe(world, ["work"], title="Choose me")
    page = indicator_url(survey, "work")
    choose = reverse("observation_report", kwargs={"slug": world.a.slug, "public_id": observation.public_id})
    assert choose in client_for(world.a_editor).get(page).content.decode()
    assert choose not in client_for(world.a_viewer).get(page).content.decode()
    response = client_for(world.a_editor).post(choose, {"in_report": "1", "next": page})
    assert response["Location"] == page
    observation.refresh_from_db()
    assert observation.in_report


def count_queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context)


@pytest.mark.parametrize("user", ["a_editor", "partner_user"])
def test_indicator_page_query_count_does_not_grow_with_observations(survey: Survey, world: World, user: str) -> None:
    respond(survey, 12)
    client = client_for(getattr(world, user))
    for number in range(2):
        observe(world, ["education", "work", "bonds"], title=f"Few {number}")
    few = count_queries(client, indicator_url(survey, "education"))
    for number in range(10):
        observe(world, ["education", "housing"], title=f"Many {number}", in_report=True)
    assert count_queries(client, indicator_url(survey, "education")) == few
    report = count_queries(client, report_url(survey))
    for number in range(10):
        observe(world, ["education", "bonds"], title=f"More {number}", in_report=True)
    assert count_queries(client, report_url(survey)) == report


# --- The printed report --------------------------------------------------------------------------


def test_report_shows_only_the_chosen_observations(survey: Survey, world: World) -> None:
    respond(survey, 12)
    observe(world, ["work", "bonds"], title="Chosen", text="It was busy.", in_report=True)
    observe(world, ["work"], title="Not chosen")
    observe(world, ["housing"], title="Chosen, not in this survey", in_report=True)
    response = client_for(world.a_viewer).get(report_url(survey))
    assert response.status_code == 200
    section = observations_section(response.content.decode())
    assert "Chosen" in section and "It was busy." in section and "5 October 2026" in section
    assert "Action research" in section and "Gemeente A" in section
    assert "Work" in section and "Bonds" in section
    assert "Not chosen" not in section and "not in this survey" not in section


def test_report_for_a_partner_shows_only_its_observations(survey: Survey, world: World) -> None:
    respond(survey, 12)
    observe(world, ["education", "work"], title="On education", in_report=True)
    observe(world, ["work"], title="Only on work", in_report=True)
    section = observations_section(client_for(world.partner_user).get(report_url(survey)).content.decode())
    assert "On education" in section and "Only on work" not in section
    assert "Education" in section and "Work" not in section


def test_observation_text_is_escaped_on_the_indicator_page_and_in_the_report(survey: Survey, world: World) -> None:
    respond(survey, 12)
    observe(world, ["work"], title=SCRIPT, text=SCRIPT, in_report=True)
    for address in (indicator_url(survey, "work"), report_url(survey)):
        page = client_for(world.a_viewer).get(address).content.decode()
        assert SCRIPT not in page, address
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in observations_section(page)
