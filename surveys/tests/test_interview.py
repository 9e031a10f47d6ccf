"""Interview mode: a signed-in officer or partner member answers on a newcomer's behalf, through the
newcomer's own pages, and the answers count under a channel of kind "interview / paper"."""

from __future__ import annotations

import re
import secrets

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from integration_mapping.testing import World, question
from reports import queries
from reports.build import build_report, response_table
from reports.params import parse_report_query
from surveys import services
from surveys.links import response_counts
from surveys.models import Channel, ChannelKind, Response, ResponseStatus, SurveyStatus
from surveys.respond import field_name
from tenants.access import resolve_access
from tenants.models import AuditEvent, PartnerKind, User
from tenants.services import assign_partner


@pytest.fixture
def open_survey(world: World) -> World:
    services.publish(survey=world.survey)
    return world


def client_for(user: User) -> Client:
    """A signed-in browser that reads the staff pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def interview_url(world: World) -> str:
    return reverse("survey_interview", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id})


def links_url(world: World) -> str:
    return reverse("channel_list", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id})


def start(client: Client, world: World, language: str = "en"):
    return client.post(interview_url(world), {"language": language})


def consent(client: Client):
    page = client.get("/answer/").content.decode()
    key = re.search(r'name="start_key" value="([^"]+)"', page).group(1)
    return client.post("/answer/", {"consent": "yes", "start_key": key})


def answer(client: Client, step: int, values: dict):
    page = client.get(f"/answer/{step}/").content.decode()
    shown = re.findall(r'name="shown" value="([^"]+)"(?! disabled)', page)
    return client.post(f"/answer/{step}/", {"action": "next", "shown": shown, **values})


def field(world: World, text_en: str) -> str:
    return field_name(question(world.survey, text_en))


def answer_everything(client: Client, world: World) -> None:
    """From the consent page to the thank-you page, through the newcomer's own views."""
    assert consent(client)["Location"] == "/answer/1/"
    page_one = {field(world, "Do you have paid work?"): "yes", field(world, "My work fits what I can do."): "4"}
    assert answer(client, 1, page_one)["Location"] == "/answer/2/"
    assert answer(client, 2, {field(world, "I often feel alone."): "2"})["Location"] == "/answer/3/"
    assert answer(client, 3, {field(world, "How old are you?"): "18-35"})["Location"] == "/answer/4/"
    open_question = field(world, "Where are you now, and where do you want to go?")
    assert answer(client, 4, {open_question: "Ik leer Nederlands."})["Location"] == "/answer/check/"
    assert client.post("/answer/check/")["Location"] == "/answer/thanks/"


def test_an_editors_interview_is_completed_under_the_interview_channel(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    response = start(client, open_survey)
    assert response.status_code == 302 and response["Location"] == "/answer/"
    assert client.session["respond"]["interview"] is True
    answer_everything(client, open_survey)

    stored = Response.objects.get()
    channel = Channel.objects.get(kind=ChannelKind.INTERVIEW)
    assert stored.channel == channel and channel.partner is None and channel.survey == open_survey.survey
    assert stored.status == ResponseStatus.COMPLETED and stored.language == "en"
    with translation.override("en"):
        assert channel.name == "Interview / paper"
    counts = response_counts(Response.objects.filter(survey=open_survey.survey), "channel_id")
    assert counts[channel.pk] == {"started": 1, "completed": 1}


def test_the_questionnaire_pages_say_it_is_an_interview(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    start(client, open_survey)
    banner = "Interview: you are answering for a newcomer."
    assert banner in client.get("/answer/").content.decode()
    consent(client)
    assert banner in client.get("/answer/1/").content.decode()
    # A newcomer's own link in another browser: no banner.
    newcomer = Client(HTTP_ACCEPT_LANGUAGE="en")
    newcomer.get(f"/s/{open_survey.channel.token}/")
    assert banner not in newcomer.get("/answer/").content.decode()


def test_the_thanks_page_offers_the_next_interview_and_the_way_back(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    start(client, open_survey)
    answer_everything(client, open_survey)
    page = client.get("/answer/thanks/").content.decode()
    assert "Start the next interview" in page and f'href="{links_url(open_survey)}"' in page
    assert "Fill it in for someone else on this phone" not in page

    assert client.post("/answer/again/")["Location"] == "/answer/"
    answer_everything(client, open_survey)
    channel = Channel.objects.get(kind=ChannelKind.INTERVIEW)
    assert list(Response.objects.values_list("channel", "status")) == [(channel.pk, ResponseStatus.COMPLETED)] * 2


def test_nothing_links_the_response_to_the_interviewer(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    events = AuditEvent.objects.count()
    start(client, open_survey)
    answer_everything(client, open_survey)
    assert [each.name for each in Response._meta.get_fields() if each.related_model is User] == []
    stored = Response.objects.values().get()
    assert set(stored) == {
        "id",
        "survey_id",
        "channel_id",
        "invitation_id",
        "language",
        "status",
        "start_key",
        "step",
        "started_at",
        "completed_at",
    }
    assert stored["invitation_id"] is None
    assert AuditEvent.objects.count() == events


def test_interviews_count_under_their_channel_in_the_results(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    start(client, open_survey)
    answer_everything(client, open_survey)
    channel = services.interview_channel(survey=open_survey.survey)
    k = open_survey.a.min_group_size
    work = question(open_survey.survey, "Do you have paid work?")
    for _ in range(k - 1):
        more = services.start_response(
            survey=open_survey.survey, language="nl", start_key=secrets.token_urlsafe(24), channel=channel
        )
        services.save_answers(response=more, answers={work: "no"})
        services.submit_response(response=more, asked={work.pk})

    access = resolve_access(open_survey.a_editor, open_survey.a)
    query = parse_report_query(QueryDict("by=channel"), access=access, survey=open_survey.survey)
    result = build_report(query)
    groups = {group.label: group.respondents.n for group in result.groups}
    assert groups[channel.name] == k
    per_channel = dict(response_table(query, queries.response_counts(open_survey.survey))["tables"])
    rows = {row["name"]: row for row in next(iter(per_channel.values()))}
    assert rows[channel.name]["completed"] == k

    # The dashboard's breakdown by channel names it.
    results = reverse("results", kwargs={"slug": open_survey.a.slug, "public_id": open_survey.survey.public_id})
    dashboard = client.get(results, {"by": "channel"})
    assert dashboard.status_code == 200 and channel.name in dashboard.content.decode()


def test_the_interview_channels_link_opens_nothing(open_survey: World) -> None:
    channel = services.interview_channel(survey=open_survey.survey)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    through_channel = anonymous.get(f"/s/{channel.token}/")
    unknown = Client(HTTP_ACCEPT_LANGUAGE="en").get("/s/not-a-real-token-at-all/")
    assert through_channel.status_code == unknown.status_code == 404
    assert through_channel.content == unknown.content
    assert "respond" not in anonymous.session
    # Not even for a signed-in officer: an interview starts from the links page only.
    assert client_for(open_survey.a_editor).get(f"/s/{channel.token}/").status_code == 404


def test_an_interview_ends_when_its_interviewer_is_no_longer_signed_in(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    start(client, open_survey)
    consent(client)
    assert client.get("/answer/1/").status_code == 200
    # Switched off by an administrator: the session still holds the interview, but nobody is signed in.
    User.objects.filter(pk=open_survey.a_editor.pk).update(is_active=False)
    for url in ("/answer/", "/answer/1/", "/answer/check/", "/answer/thanks/"):
        assert client.get(url).status_code == 404, url
    assert client.post("/answer/again/").status_code == 404


def test_signing_out_mid_interview_makes_the_next_page_not_found(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    start(client, open_survey)
    consent(client)
    client.post(reverse("logout"))
    assert client.get("/answer/1/").status_code == 404


def test_a_viewer_may_not_start_an_interview(open_survey: World) -> None:
    client = client_for(open_survey.a_viewer)
    assert start(client, open_survey).status_code == 403
    assert "respond" not in client.session
    assert not Channel.objects.filter(kind=ChannelKind.INTERVIEW).exists()
    assert "Start an interview" not in client.get(links_url(open_survey)).content.decode()


def test_another_municipality_gets_404(open_survey: World) -> None:
    assert start(client_for(open_survey.b_admin), open_survey).status_code == 404
    assert not Channel.objects.filter(kind=ChannelKind.INTERVIEW).exists()


def test_a_partner_member_interviews_through_their_own_organisations_channel(open_survey: World) -> None:
    client = client_for(open_survey.partner_user)
    workspace = client.get(reverse("partner_workspace", kwargs={"slug": open_survey.a.slug})).content.decode()
    assert f'action="{interview_url(open_survey)}"' in workspace
    assert start(client, open_survey, "nl")["Location"] == "/answer/"
    answer_everything(client, open_survey)
    partner = open_survey.partnership.partner
    stored = Response.objects.get()
    assert stored.channel.kind == ChannelKind.INTERVIEW and stored.channel.partner == partner
    assert partner.name in stored.channel.name and stored.language == "nl"
    thanks = client.get("/answer/thanks/").content.decode()
    assert reverse("partner_workspace", kwargs={"slug": open_survey.a.slug}) + "#links" in thanks
    # The workspace lists the channel with its count and without a link.
    workspace = client.get(reverse("partner_workspace", kwargs={"slug": open_survey.a.slug})).content.decode()
    assert stored.channel.name in workspace and stored.channel.token not in workspace
    # The staff's own interview channel is another one.
    assert services.interview_channel(survey=open_survey.survey) != stored.channel


def test_a_member_of_two_organisations_chooses_whose_channel(open_survey: World) -> None:
    other = assign_partner(
        municipality=open_survey.a,
        partner_name="Partner Q",
        kind=PartnerKind.LANGUAGE_SCHOOL,
        indicator_codes=["education"],
        members=[open_survey.partner_user],
    ).partner
    client = client_for(open_survey.partner_user)
    assert start(client, open_survey).status_code == 400
    response = client.post(interview_url(open_survey), {"language": "en", "organisation": other.public_id})
    assert response.status_code == 302
    assert Channel.objects.get(kind=ChannelKind.INTERVIEW).partner == other


@pytest.mark.parametrize("status", [SurveyStatus.CLOSED, SurveyStatus.DRAFT])
def test_a_survey_that_takes_no_answers_refuses_an_interview(world: World, status: str) -> None:
    if status == SurveyStatus.CLOSED:
        services.publish(survey=world.survey)
        services.close(survey=world.survey)
    client = client_for(world.a_editor)
    response = start(client, world)
    assert response.status_code == 302 and response["Location"] == links_url(world)
    page = client.get(links_url(world)).content.decode()
    assert "does not accept answers now" in page and "Start an interview" not in page
    assert "respond" not in client.session
    assert not Channel.objects.filter(kind=ChannelKind.INTERVIEW).exists() and not Response.objects.exists()


@pytest.mark.parametrize("language", ["xx", "ar", ""])
def test_a_language_the_survey_does_not_offer_is_400(open_survey: World, language: str) -> None:
    client = client_for(open_survey.a_editor)
    response = start(client, open_survey, language)
    assert response.status_code == 400 and "Choose one of the survey" in response.content.decode()
    assert "respond" not in client.session and not Channel.objects.filter(kind=ChannelKind.INTERVIEW).exists()


def test_starting_is_post_only(open_survey: World) -> None:
    assert client_for(open_survey.a_editor).get(interview_url(open_survey)).status_code == 405


def test_the_links_page_lists_the_interview_channel_without_link_qr_or_poster(open_survey: World) -> None:
    client = client_for(open_survey.a_editor)
    assert "Start an interview or enter a paper form" in client.get(links_url(open_survey)).content.decode()
    start(client, open_survey)
    answer_everything(client, open_survey)
    channel = Channel.objects.get(kind=ChannelKind.INTERVIEW)
    page = client.get(links_url(open_survey)).content.decode()
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(channel.name)}.*?</tr>", page, re.S).group(0)
    assert "No link" in row and channel.token not in page
    assert "channel_qr" not in row and channel.public_id not in row  # no QR code, poster or switch
    assert [cell.strip() for cell in re.findall(r"<td>(\d+)</td>", row)] == ["1", "1"]
    slug = open_survey.a.slug
    for url in (
        reverse("channel_poster", kwargs={"slug": slug, "channel_id": channel.public_id}),
        reverse("channel_qr", kwargs={"slug": slug, "channel_id": channel.public_id, "kind": "svg"}),
    ):
        assert client.get(url).status_code == 410


def test_one_interview_channel_per_survey_and_organisation(open_survey: World) -> None:
    survey = open_survey.survey
    with translation.override("en"):
        # An officer named a link so: the interview channel takes the next free name.
        services.create_channel(survey=survey, name="Interview / paper")
        staff = services.interview_channel(survey=survey)
        assert staff.name == "Interview / paper (2)" and staff.kind == ChannelKind.INTERVIEW
    with translation.override("nl"):
        assert services.interview_channel(survey=survey) == staff  # found by kind, not by name
    partner = open_survey.partnership.partner
    theirs = services.interview_channel(survey=survey, partner=partner)
    assert theirs != staff and theirs == services.interview_channel(survey=survey, partner=partner)
    assert Channel.objects.filter(kind=ChannelKind.INTERVIEW).count() == 2
