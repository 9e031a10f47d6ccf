"""The coverage map: who covers each indicator, the blind spots (computed by hand for the demo),
what the latest wave has on each indicator, the municipality's own indicators, and access."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import A_OWN, P_INDICATORS, World, question
from reports.coverage import build_coverage_map
from surveys import services
from surveys.models import Survey
from tenants.access import Access, Level
from tenants.coverage import CoverageState
from tenants.models import AuditAction, AuditEvent, Municipality, PartnerAssignment, PartnerKind
from tenants.services import assign_partner

SCRIPT = "<script>alert(1)</script>"
# Worked out by hand from tenants/management/commands/seed_demo.py. Rivierstad covers work (1),
# housing (2), health-and-social-care (4), links (8) and stability (13) itself; Taalschool Noord has
# education (3), language-and-communication (9) and digital-skills (11); Welzijn Rivierstad has
# leisure (5), bonds (6), bridges (7) and safety (12). Left over, in circle order: 10 and 14.
DEMO_BLIND_SPOTS = ["culture", "rights-and-responsibilities"]
# The test world: A covers work, housing and links; Partner P language-and-communication and education.
WORLD_BLIND_SPOTS = [
    "health-and-social-care",
    "leisure",
    "bonds",
    "bridges",
    "culture",
    "digital-skills",
    "safety",
    "stability",
    "rights-and-responsibilities",
]


def url(municipality: Municipality) -> str:
    return reverse("coverage", kwargs={"slug": municipality.slug})


def page(world: World, user: object = None, municipality: Municipality | None = None):
    return world.client_for(user or world.a_viewer).get(url(municipality or world.a), headers={"accept-language": "en"})


def by_code(response) -> dict:
    return {line.indicator.code: line for line in response.context["map"].lines}


def respond(survey: Survey, count: int, *, lonely: int | None = None) -> None:
    """``count`` completed respondents who all have work that fits (Work); with ``lonely`` they
    also answer "I often feel alone" (Bonds)."""
    values = {question(survey, "Do you have paid work?"): "yes", question(survey, "My work fits what I can do."): 4}
    if lonely is not None:
        values[question(survey, "I often feel alone.")] = lonely
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={each.pk for each in values})


# --- Who covers what ---------------------------------------------------------------------------


def test_world_coverage_names_the_municipality_the_partner_and_the_blind_spots(world: World) -> None:
    PartnerAssignment.objects.filter(indicator__code="education").update(note="Taalles op niveau A2")
    response = page(world)
    assert response.status_code == 200
    lines = by_code(response)
    assert list(lines) == list(Indicator.objects.order_by("number").values_list("code", flat=True))
    assert [code for code, line in lines.items() if line.coverage.is_blind_spot] == WORLD_BLIND_SPOTS
    assert {code for code, line in lines.items() if line.coverage.by_municipality} == set(A_OWN)
    assert lines["education"].coverage.partners == ["Partner P"]
    assert lines["work"].coverage.state == CoverageState.MUNICIPALITY
    assert lines["education"].coverage.state == CoverageState.PARTNERS
    content = response.content.decode()
    row = content[content.index('data-indicator="education"') :]
    assert "Partner P" in row[: row.index("</tr>")] and "Taalles op niveau A2" in row[: row.index("</tr>")]
    assert "9 blind spots" in content


def test_an_indicator_covered_by_both_and_an_ended_partnership_does_not_count(world: World) -> None:
    assign_partner(
        municipality=world.a, partner_name="Buurthuis", kind=PartnerKind.VOLUNTEER, indicator_codes=["work", "safety"]
    )
    lines = by_code(page(world))
    assert lines["work"].coverage.state == CoverageState.BOTH
    assert lines["safety"].coverage.partners == ["Buurthuis"]
    world.a.partnerships.filter(partner__name="Buurthuis").update(ended_at="2026-01-01T00:00:00Z")
    lines = by_code(page(world))
    assert lines["safety"].coverage.is_blind_spot and lines["work"].coverage.state == CoverageState.MUNICIPALITY


@pytest.mark.django_db
def test_demo_blind_spots_are_the_ones_worked_out_by_hand(client) -> None:
    call_command("seed_demo", responses=10, verbosity=0)
    rivierstad = Municipality.objects.get(slug="rivierstad")
    client.force_login(rivierstad.memberships.get(role="viewer").user)
    response = client.get(url(rivierstad), headers={"accept-language": "en"})
    assert response.status_code == 200
    lines = response.context["map"].lines
    assert [line.indicator.code for line in lines if line.coverage.is_blind_spot] == DEMO_BLIND_SPOTS
    assert len(lines) == 14
    figure = json.loads(
        response.content.decode().split('id="coverage-figure" type="application/json">')[1].split("<")[0]
    )
    blind = [trace for trace in figure["data"] if trace["name"] == "Blind spot: nobody"]
    assert sum(len(trace["theta"]) for trace in blind) == len(DEMO_BLIND_SPOTS)


# --- The circle ----------------------------------------------------------------------------------


def figure_of(response) -> dict:
    return response.context["figure"]


def test_circle_has_fourteen_equal_segments_coloured_by_state_with_hover_text(world: World) -> None:
    figure = figure_of(page(world))
    segments = [
        (theta, trace["name"], hover)
        for trace in figure["data"]
        for theta, hover in zip(trace["theta"], trace["hovertext"], strict=True)
    ]
    assert sorted(theta for theta, _name, _hover in segments) == pytest.approx(
        [index * 360 / 14 for index in range(14)]
    )
    assert all(trace["type"] == "barpolar" and set(trace["r"]) == {1} for trace in figure["data"])
    names = {trace["name"]: len(trace["theta"]) for trace in figure["data"]}
    assert names == {"The municipality only": 3, "Partners only": 2, "Blind spot: nobody": 9}
    assert len(figure["layout"]["polar"]["angularaxis"]["ticktext"]) == 14
    work = next(hover for theta, _name, hover in segments if theta == 0)
    assert work == "<b>Work</b><br>The municipality only<br>Gemeente A"


def test_partner_names_and_notes_are_escaped_in_the_page_and_the_circle(world: World) -> None:
    assign_partner(municipality=world.a, partner_name=SCRIPT, kind=PartnerKind.OTHER, indicator_codes=["safety"])
    PartnerAssignment.objects.filter(indicator__code="safety").update(note=SCRIPT)
    response = page(world)
    content = response.content.decode()
    assert SCRIPT not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    hovers = [hover for trace in figure_of(response)["data"] for hover in trace["hovertext"]]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in hover for hover in hovers)


# --- The latest wave -------------------------------------------------------------------------------


def test_without_a_published_survey_the_map_says_so_and_shows_coverage_only(world: World) -> None:
    response = page(world)
    coverage_map = response.context["map"]
    assert coverage_map.survey is None
    assert all(line.has_questions is None and not line.too_few for line in coverage_map.lines)
    content = response.content.decode()
    assert "No survey has been published yet" in content
    assert "Questions in the latest wave" not in content


def test_questions_and_too_few_responses_in_the_latest_wave(world: World) -> None:
    """The world's survey asks about Work and Bonds. 12 people answer on Work, 3 of them on Bonds
    (k = 10); Housing is added to the survey without a question."""
    services.publish(survey=world.survey)
    world.survey.indicators.add(Indicator.objects.get(code="housing"))
    respond(world.survey, 9)
    respond(world.survey, 3, lonely=2)
    response = page(world)
    coverage_map = response.context["map"]
    assert coverage_map.survey == world.survey
    lines = by_code(response)
    assert (lines["work"].has_questions, lines["work"].n, lines["work"].too_few) == (True, 12, False)
    assert (lines["bonds"].has_questions, lines["bonds"].n, lines["bonds"].too_few) == (True, None, True)
    assert lines["housing"].has_questions is False
    assert [line.indicator.code for line in coverage_map.too_few] == ["bonds"]
    assert len(coverage_map.without_questions) == 12
    content = response.content.decode()
    assert "12 indicators without questions in the latest wave" in content
    assert "1 indicator with too few responses there" in content
    bonds = content[content.index('data-indicator="bonds"') :]
    assert "too few responses" in bonds[: bonds.index("</tr>")]
    work = content[content.index('data-indicator="work"') :]
    assert "12 people" in work[: work.index("</tr>")]
    housing = content[content.index('data-indicator="housing"') :]
    assert "no questions" in housing[: housing.index("</tr>")]


def test_a_removed_question_does_not_count_and_the_newest_wave_is_read(world: World) -> None:
    services.publish(survey=world.survey)
    services.close(survey=world.survey)
    later = services.copy_as_new_wave(survey=world.survey, wave_label="Najaar 2027")
    later.questions.filter(indicator__code="bonds").update(hidden=True)
    services.publish(survey=later)
    respond(world.survey, 12, lonely=1)  # in the earlier wave only
    coverage_map = build_coverage_map(Access(world.a, Level.VIEWER))
    assert coverage_map.survey == later
    lines = {line.indicator.code: line for line in coverage_map.lines}
    assert lines["bonds"].has_questions is False
    assert (lines["work"].has_questions, lines["work"].n, lines["work"].too_few) == (True, 0, True)


def test_the_whole_wave_below_k_shows_every_indicator_as_too_few(world: World) -> None:
    services.publish(survey=world.survey)
    respond(world.survey, 4, lonely=1)
    lines = by_code(page(world))
    assert lines["work"].too_few and lines["bonds"].too_few
    assert lines["work"].n is None  # hidden, so not shown here either


# --- The municipality's own indicators -------------------------------------------------------------


def own_codes(municipality: Municipality) -> set[str]:
    return set(municipality.own_indicators.values_list("code", flat=True))


def test_administrator_sets_the_own_indicators_and_the_change_is_audited(world: World) -> None:
    wanted = Indicator.objects.filter(code__in=["work", "links", "safety", "bonds"])
    response = world.client_for(world.a_admin).post(url(world.a), {"indicators": [i.pk for i in wanted]})
    assert response.status_code == 302 and response["Location"] == url(world.a)
    assert own_codes(world.a) == {"work", "links", "safety", "bonds"}
    event = AuditEvent.objects.filter(action=AuditAction.ASSIGNMENT_CHANGE, actor=world.a_admin).get()
    assert event.municipality == world.a
    assert event.detail == {"by_municipality": True, "added": ["bonds", "safety"], "removed": ["housing"]}


def test_saving_the_same_indicators_records_nothing(world: World) -> None:
    same = Indicator.objects.filter(code__in=A_OWN)
    world.client_for(world.a_admin).post(url(world.a), {"indicators": [i.pk for i in same]})
    assert not AuditEvent.objects.filter(actor=world.a_admin).exists()


def test_administrator_sees_the_form_with_the_own_indicators_ticked(world: World) -> None:
    response = page(world, world.a_admin)
    form = response.context["form"]
    assert {indicator.code for indicator in form.initial["indicators"]} == set(A_OWN)
    content = response.content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*name="indicators"[^>]*>', content)
    assert len(boxes) == 14
    ticked = {re.search(r'value="(\d+)"', box).group(1) for box in boxes if "checked" in box}
    assert ticked == {str(indicator.pk) for indicator in Indicator.objects.filter(code__in=A_OWN)}


@pytest.mark.parametrize("value", ["999999", "work", ""])
def test_an_unknown_indicator_is_a_form_error_and_changes_nothing(world: World, value: str) -> None:
    data = {"indicators": [Indicator.objects.get(code="work").pk, value]}
    response = world.client_for(world.a_admin).post(url(world.a), data, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.context["form"].errors["indicators"]
    assert own_codes(world.a) == set(A_OWN)


@pytest.mark.parametrize("user", ["a_viewer", "a_editor"])
def test_viewers_and_editors_read_the_map_but_cannot_set_indicators(world: World, user: str) -> None:
    client = world.client_for(getattr(world, user))
    response = client.get(url(world.a))
    assert response.status_code == 200 and response.context["form"] is None
    assert 'name="indicators"' not in response.content.decode()
    safety = Indicator.objects.get(code="safety")
    assert client.post(url(world.a), {"indicators": [safety.pk]}).status_code == 403
    assert own_codes(world.a) == set(A_OWN)


# --- Access ------------------------------------------------------------------------------------------


def test_partner_gets_403(world: World) -> None:
    client = world.client_for(world.partner_user)
    assert client.get(url(world.a)).status_code == 403
    assert client.post(url(world.a), {"indicators": []}).status_code == 403
    assert own_codes(world.a) == set(A_OWN)


@pytest.mark.parametrize("user", ["b_admin", "nobody"])
def test_another_municipality_gets_404(world: World, user: str) -> None:
    client = world.client_for(getattr(world, user))
    assert client.get(url(world.a)).status_code == 404
    assert client.post(url(world.a), {"indicators": []}).status_code == 404
    assert own_codes(world.a) == set(A_OWN)


def test_anonymous_is_sent_to_login(world: World) -> None:
    client = world.client_for(None)
    for response in (client.get(url(world.a)), client.post(url(world.a))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Queries -------------------------------------------------------------------------------------------


def count_queries(world: World) -> int:
    client = world.client_for(world.a_admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(world.a)).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_partners_and_responses(world: World) -> None:
    services.publish(survey=world.survey)
    respond(world.survey, 2, lonely=1)
    few = count_queries(world)
    for number in range(4):
        assign_partner(
            municipality=world.a,
            partner_name=f"Partner {number}",
            kind=PartnerKind.OTHER,
            indicator_codes=[*P_INDICATORS, "safety", "bonds"],
        )
    respond(world.survey, 20, lonely=3)
    assert count_queries(world) == few
