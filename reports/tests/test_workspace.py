"""A partner's workspace: its indicators and their results only, its observations, and its links
grouped per survey and wave with their status; no QR code or poster for a link that takes no answers.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from integration_mapping.testing import P_INDICATORS, World, add_education_question, build_survey, question
from observations.models import Method, Observation
from surveys import services
from surveys.models import Channel, Survey
from tenants.models import PartnerAssignment

SCRIPT = "<script>alert(1)</script>"
CLOSED_TEXT = "closed: this link no longer accepts answers"


def client_for(user: object) -> Client:
    """A client for ``user`` that reads the pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def workspace_url(world: World) -> str:
    return reverse("partner_workspace", kwargs={"slug": world.a.slug})


def workspace(world: World) -> str:
    response = client_for(world.partner_user).get(workspace_url(world))
    assert response.status_code == 200
    return response.content.decode()


def poster_url(channel: Channel, kind: str | None = None) -> str:
    kwargs = {"slug": channel.survey.municipality.slug, "channel_id": channel.public_id}
    if kind is None:
        return reverse("channel_poster", kwargs=kwargs)
    return reverse("channel_qr", kwargs={**kwargs, "kind": kind})


def print_links(channel: Channel) -> list[str]:
    return [poster_url(channel), poster_url(channel, "svg"), poster_url(channel, "png")]


def link_group(page: str, survey: Survey) -> str:
    """The table of ``survey``'s links on the workspace."""
    match = re.search(rf'<table[^>]*data-survey="{survey.public_id}".*?</table>', page, re.S)
    assert match, f"no links table for {survey.wave_label}"
    return match.group(0)


@pytest.fixture
def partner_survey(world: World) -> Survey:
    """The world's survey (Work and Bonds) with P's indicator Education added, published."""
    add_education_question(world.survey)
    services.publish(survey=world.survey)
    return world.survey


def respond(survey: Survey, count: int, *, learn: int, lonely: int) -> None:
    """``count`` completed respondents without work, all giving the same answers."""
    values = {
        question(survey, "Do you have paid work?"): "no",
        question(survey, "I can learn what I want here."): learn,
        question(survey, "I often feel alone."): lonely,
    }
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})


def next_wave(world: World, survey: Survey, label: str) -> Survey:
    """A copy of ``survey`` (its channels too) as a new, published wave."""
    wave = services.copy_as_new_wave(survey=survey, wave_label=label)
    services.publish(survey=wave)
    return wave


def circle(page: str) -> dict:
    match = re.search(r'<script id="circle-figure" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no circle on the page"
    return json.loads(match.group(1))


# Access


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = client_for(None).get(workspace_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", ["a_admin", "a_editor", "a_viewer"])
def test_staff_are_sent_to_the_municipality_home(world: World, user: str) -> None:
    response = client_for(getattr(world, user)).get(workspace_url(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("municipality", kwargs={"slug": world.a.slug})


@pytest.mark.parametrize("user", ["b_admin", "nobody"])
def test_outsiders_get_404(world: World, user: str) -> None:
    assert client_for(getattr(world, user)).get(workspace_url(world)).status_code == 404


def test_partner_whose_partnership_ended_gets_404(world: World) -> None:
    assert client_for(world.partner_user).get(workspace_url(world)).status_code == 200
    world.partnership.ended_at = timezone.now()
    world.partnership.save(update_fields=["ended_at"])
    assert client_for(world.partner_user).get(workspace_url(world)).status_code == 404


def test_partner_links_page_leads_to_the_workspace_links(world: World) -> None:
    url = reverse("partner_links", kwargs={"slug": world.a.slug})
    response = client_for(world.partner_user).get(url)
    assert response.status_code == 302 and response["Location"] == workspace_url(world) + "#links"
    assert client_for(world.a_viewer).get(url)["Location"] == reverse("municipality", kwargs={"slug": world.a.slug})
    assert client_for(world.b_admin).get(url).status_code == 404


# Header, indicators and results


def test_header_names_the_organisation_and_the_vision(world: World) -> None:
    page = workspace(world)
    assert "<h1>Gemeente A</h1>" in page
    assert "You work here as Partner P." in page
    assert "Samen verder." in page


def test_indicators_come_with_what_the_partner_does_for_them(world: World) -> None:
    PartnerAssignment.objects.filter(partnership=world.partnership, indicator__code="education").update(
        note="Huiswerkklas op woensdag"
    )
    page = workspace(world)
    rows = re.findall(r'<tr data-indicator="([a-z-]+)">', page)
    assert sorted(rows) == sorted(P_INDICATORS)
    assert "Huiswerkklas op woensdag" in page


def test_partner_sees_only_its_indicators_in_the_page_and_the_circle(world: World, partner_survey: Survey) -> None:
    respond(partner_survey, 12, learn=4, lonely=1)
    observation = Observation.objects.create(
        municipality=world.a,
        title="Avondles loopt goed",
        text="…",
        observed_on=datetime.date(2027, 3, 1),
        method=Method.INTERVIEW,
        organisation_name="Gemeente A",
    )
    observation.indicators.set(Indicator.objects.filter(code__in=["education", "work"]))
    page = workspace(world)
    # The results of Education (12 respondents, all scoring 75) and links to its page.
    assert 'data-indicator="education"' in page and re.search(r'class="figure-mean">\s*75\s*<', page)
    assert reverse("results_indicator", args=[world.a.slug, partner_survey.public_id, "education"]) in page
    assert reverse("results", args=[world.a.slug, partner_survey.public_id]) in page
    assert "Avondles loopt goed" in page
    for indicator in Indicator.objects.exclude(code__in=P_INDICATORS):
        assert not re.search(rf"\b{re.escape(indicator.name)}\b", page), indicator.name
        assert f'data-indicator="{indicator.code}"' not in page and f"/results/{indicator.code}/" not in page
    figure = circle(page)
    labels = [label for label in figure["layout"]["polar"]["angularaxis"]["ticktext"] if label]
    assert sorted(labels) == ["Education", "Language and Communication"]
    hover = json.dumps([trace.get("hovertext") for trace in figure["data"]])
    assert "Education" in hover and "Bonds" not in hover and "Work" not in hover


def test_figures_are_suppressed_below_k(world: World, partner_survey: Survey) -> None:
    respond(partner_survey, 4, learn=4, lonely=1)
    page = workspace(world)
    assert "Too few responses to show anything" in page
    assert 'class="figure-mean"' not in page and 'id="circle-figure"' not in page


def test_earlier_waves_are_listed_with_their_results(world: World, partner_survey: Survey) -> None:
    services.close(survey=partner_survey)
    autumn = next_wave(world, partner_survey, "Najaar 2027")
    page = workspace(world)
    latest, earlier = page[page.index('id="results-heading"') : page.index('id="observations-heading"')].split(
        "Earlier waves"
    )
    assert "Najaar 2027" in latest and "Najaar 2027" not in earlier
    assert reverse("results", args=[world.a.slug, autumn.public_id]) in latest
    assert reverse("results_indicator", args=[world.a.slug, autumn.public_id, "education"]) in page
    assert "Voorjaar 2027" in earlier and reverse("results", args=[world.a.slug, partner_survey.public_id]) in earlier


def test_no_results_before_anything_is_published(world: World) -> None:
    assert "There are no results yet" in workspace(world)


# Links


def test_links_are_grouped_per_survey_and_wave_with_their_status(world: World, partner_survey: Survey) -> None:
    """Two links both named "via Partner P": one of a closed wave, one of the open wave after it."""
    services.close(survey=partner_survey)
    autumn = next_wave(world, partner_survey, "Najaar 2027")
    old, new = world.channel, autumn.channels.get()
    page = workspace(world)
    links = page[page.index('id="links"') :]
    assert links.index("Najaar 2027") < links.index("Voorjaar 2027")  # newest first
    open_group, closed_group = link_group(page, autumn), link_group(page, partner_survey)
    assert "How are you doing?" not in open_group  # the title in the survey's base language
    for group in (open_group, closed_group):
        assert "Hoe gaat het?" in group and "via Partner P" in group
    assert '<span class="badge status-open">open</span>' in open_group
    assert re.search(r'<span class="badge status-closed">closed on [^<]+</span>', closed_group)
    assert all(link in open_group for link in print_links(new))
    assert CLOSED_TEXT not in open_group
    assert new.token in open_group and old.token in closed_group  # the dead link stays readable as text
    assert CLOSED_TEXT in closed_group
    assert not any(link in page for link in print_links(old))


def test_closed_waves_poster_and_qr_code_are_refused(world: World, partner_survey: Survey) -> None:
    services.close(survey=partner_survey)
    for user in (world.partner_user, world.a_editor):
        for url in print_links(world.channel):
            response = client_for(user).get(url)
            assert response.status_code == 410, (user, url)
            assert "This survey is closed: this link no longer accepts answers." in response.content.decode()
    services.reopen(survey=partner_survey)
    assert client_for(world.partner_user).get(poster_url(world.channel)).status_code == 200


def test_open_waves_poster_and_qr_code_work_for_the_partner(world: World, partner_survey: Survey) -> None:
    client = client_for(world.partner_user)
    poster = client.get(poster_url(world.channel))
    assert poster.status_code == 200 and world.channel.token in poster.content.decode()
    assert f'href="{workspace_url(world)}#links"' in poster.content.decode()  # back to the workspace
    assert client.get(poster_url(world.channel, "png"))["Content-Type"] == "image/png"


def test_draft_links_are_not_shown_to_partners(world: World) -> None:
    page = workspace(world)
    assert "via Partner P" not in page and world.channel.token not in page
    assert "The municipality has not made a link for your organisation yet." in page
    for url in print_links(world.channel):
        assert client_for(world.partner_user).get(url).status_code == 404
    # Staff may still prepare a poster before publishing.
    assert client_for(world.a_editor).get(poster_url(world.channel)).status_code == 200


def test_a_link_not_open_yet_has_no_poster_for_the_partner(world: World) -> None:
    world.survey.opens_on = timezone.localdate() + datetime.timedelta(days=7)
    world.survey.save()
    services.publish(survey=world.survey)
    group = link_group(workspace(world), world.survey)
    assert "status-scheduled" in group and "not open yet: this link accepts answers from" in group
    assert not any(link in group for link in print_links(world.channel))
    response = client_for(world.partner_user).get(poster_url(world.channel))
    assert response.status_code == 410 and "This survey is not open yet" in response.content.decode()
    assert client_for(world.a_editor).get(poster_url(world.channel)).status_code == 200


def test_a_switched_off_link_has_no_poster_for_the_partner(world: World, partner_survey: Survey) -> None:
    Channel.objects.filter(pk=world.channel.pk).update(active=False)
    group = link_group(workspace(world), partner_survey)
    assert "switched off" in group and not any(link in group for link in print_links(world.channel))
    assert client_for(world.partner_user).get(poster_url(world.channel)).status_code == 410


def test_staff_links_page_offers_no_poster_for_a_closed_wave(world: World, partner_survey: Survey) -> None:
    url = reverse("channel_list", kwargs={"slug": world.a.slug, "public_id": partner_survey.public_id})
    assert poster_url(world.channel) in client_for(world.a_editor).get(url).content.decode()
    services.close(survey=partner_survey)
    page = client_for(world.a_editor).get(url).content.decode()
    assert CLOSED_TEXT in page and not any(link in page for link in print_links(world.channel))


def test_names_and_notes_are_escaped(world: World, partner_survey: Survey) -> None:
    services.create_channel(survey=partner_survey, name=SCRIPT, partner=world.partnership.partner)
    world.partnership.partner.name = "P " + SCRIPT
    world.partnership.partner.save()
    PartnerAssignment.objects.filter(partnership=world.partnership).update(note=SCRIPT)
    world.a.vision = SCRIPT
    world.a.save()
    page = workspace(world)
    assert SCRIPT not in page
    assert page.count(html.escape(SCRIPT)) >= 4


# Queries


def add_waves(world: World, count: int) -> None:
    """``count`` more published waves, each with two of P's links, older than the world's survey."""
    for number in range(count):
        wave = build_survey(world.a)
        wave.wave_label = f"Wave {number}"
        wave.save()
        services.publish(survey=wave)
        Survey.objects.filter(pk=wave.pk).update(published_at=timezone.now() - datetime.timedelta(days=30 + number))
        for name in ("via P, desk", "via P, class"):
            services.create_channel(survey=wave, name=name, partner=world.partnership.partner)
        if number % 2:
            services.close(survey=wave)


def workspace_queries(world: World) -> int:
    client = client_for(world.partner_user)
    client.get(workspace_url(world))  # once, so that one-off work (session, caches) is not counted
    with CaptureQueriesContext(connection) as queries:
        assert client.get(workspace_url(world)).status_code == 200
    return len(queries)


def test_the_workspace_uses_a_fixed_number_of_queries(world: World, partner_survey: Survey) -> None:
    """The same count for 2 links in 1 survey and for 6 links in 3 surveys (one of them closed)."""
    respond(partner_survey, 12, learn=4, lonely=1)
    services.create_channel(survey=partner_survey, name="via P, desk", partner=world.partnership.partner)
    with_two = workspace_queries(world)
    add_waves(world, 2)
    assert Channel.objects.filter(partner=world.partnership.partner).count() == 6
    page = workspace(world)
    assert page.count('class="table align-middle link-group"') == 3 and "status-closed" in page
    assert workspace_queries(world) == with_two
