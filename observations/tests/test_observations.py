"""Observations: who sees, adds, edits, deletes and selects them for the report; the list's filters,
pages and query count; escaping."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from integration_mapping.testing import PASSWORD, World
from observations import services
from observations.models import Method, Observation
from tenants.models import AuditAction, AuditEvent, PartnerKind, PartnerOrganisation, Role, User
from tenants.services import add_member, assign_partner, ensure_user

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
    partner: PartnerOrganisation | None = None,
    title: str = "Waiting lists",
    text: str = "Many said the waiting list is long.",
    method: str = Method.INTERVIEW,
    observed_on: datetime.date = datetime.date(2027, 3, 1),
    in_report: bool = False,
) -> Observation:
    observation = services.create_observation(
        municipality=world.a,
        partner=partner,
        title=title,
        text=text,
        observed_on=observed_on,
        method=method,
        indicators=Indicator.objects.filter(code__in=codes),
        by=world.partner_user if partner is not None else world.a_editor,
    )
    if in_report:
        services.set_in_report(observation=observation, in_report=True, by=world.a_editor)
    return observation


def list_url(world: World) -> str:
    return reverse("observation_list", kwargs={"slug": world.a.slug})


def create_url(world: World) -> str:
    return reverse("observation_create", kwargs={"slug": world.a.slug})


def url(name: str, observation: Observation, slug: str | None = None) -> str:
    return reverse(name, kwargs={"slug": slug or observation.municipality.slug, "public_id": observation.public_id})


def ids(world: World, codes: list[str]) -> list[str]:
    return [str(pk) for pk in Indicator.objects.filter(code__in=codes).values_list("pk", flat=True)]


def form_data(world: World, codes: list[str], **overrides: object) -> dict:
    return {
        "title": "At the language café",
        "text": "People practise Dutch together.\nThey come back every week.",
        "observed_on": "2026-02-14",
        "method": Method.GROUP_CONVERSATION,
        "indicators": ids(world, codes),
        **overrides,
    }


@pytest.fixture
def partner_q(world: World) -> User:
    """A member of Partner Q only, which also works on Education (shared with P) and on Health."""
    member = ensure_user(username="q-member", password=PASSWORD)
    assign_partner(
        municipality=world.a,
        partner_name="Partner Q",
        kind=PartnerKind.WELFARE,
        indicator_codes=["education", "health-and-social-care"],
        members=[member],
    )
    return member


@pytest.fixture
def partner_p(world: World) -> PartnerOrganisation:
    return world.partnership.partner


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["observation_edit", "observation_delete", "observation_report"])
def test_anonymous_is_sent_to_login(world: World, name: str) -> None:
    observation = observe(world, ["work"])
    for address in (list_url(world), create_url(world), url(name, observation)):
        response = client_for(None).get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("outsider", ["b_admin", "nobody"])
def test_other_municipality_gets_404(world: World, outsider: str) -> None:
    observation = observe(world, ["work"])
    client = client_for(getattr(world, outsider))
    assert client.get(list_url(world)).status_code == 404
    assert client.get(create_url(world)).status_code == 404
    assert client.post(create_url(world), form_data(world, ["work"])).status_code == 404
    for name in ("observation_edit", "observation_delete"):
        assert client.get(url(name, observation)).status_code == 404
        assert client.post(url(name, observation), form_data(world, ["work"])).status_code == 404
    assert client.post(url("observation_report", observation), {"in_report": "1"}).status_code == 404
    assert Observation.objects.get().title == "Waiting lists"


def test_another_municipalitys_observation_is_404_under_its_own_slug(world: World) -> None:
    observation = observe(world, ["work"])
    client = client_for(world.b_admin)
    for name in ("observation_edit", "observation_delete"):
        assert client.get(url(name, observation, slug=world.b.slug)).status_code == 404
    assert client.post(url("observation_delete", observation, slug=world.b.slug)).status_code == 404
    assert client.post(url("observation_report", observation, slug=world.b.slug), {"in_report": "1"}).status_code == 404
    assert Observation.objects.filter(pk=observation.pk, in_report=False).exists()


@pytest.mark.parametrize("user", ["a_viewer", "a_editor", "a_admin"])
def test_staff_see_every_observation(world: World, partner_p: PartnerOrganisation, user: str) -> None:
    observe(world, ["work"], title="By the municipality")
    observe(world, ["education"], partner=partner_p, title="By the partner")
    page = client_for(getattr(world, user)).get(list_url(world)).content.decode()
    assert "By the municipality" in page and "By the partner" in page
    assert "Gemeente A" in page and "Partner P" in page


def test_partner_cannot_see_an_observation_only_on_unassigned_indicators(world: World) -> None:
    hidden = observe(world, ["work", "housing"], title="Only on unassigned")
    observe(world, ["education"], title="On education")
    client = client_for(world.partner_user)
    page = client.get(list_url(world)).content.decode()
    assert "On education" in page and "Only on unassigned" not in page
    assert client.get(url("observation_edit", hidden)).status_code == 404
    assert client.get(url("observation_delete", hidden)).status_code == 404
    assert client.post(url("observation_delete", hidden)).status_code == 404
    assert client.post(url("observation_report", hidden), {"in_report": "1"}).status_code == 404
    assert Observation.objects.filter(pk=hidden.pk, in_report=False).exists()


def test_partner_sees_only_the_chips_of_its_own_indicators(world: World) -> None:
    observe(world, ["education", "work"], title="Mixed")
    page = client_for(world.partner_user).get(list_url(world)).content.decode()
    assert "Mixed" in page
    assert "?indicator=education" in page and "?indicator=work" not in page
    staff = client_for(world.a_viewer).get(list_url(world)).content.decode()
    assert "?indicator=education" in staff and "?indicator=work" in staff


def test_partner_whose_partnership_ended_sees_nothing(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    world.partnership.ended_at = timezone.now()
    world.partnership.save()
    client = client_for(world.partner_user)
    assert client.get(list_url(world)).status_code == 404
    assert client.get(url("observation_edit", observation)).status_code == 404
    # What they wrote stays, with the organisation's name.
    page = client_for(world.a_viewer).get(list_url(world)).content.decode()
    assert observation.title in page and "Partner P" in page


# --- Adding ------------------------------------------------------------------------------------


def test_form_warns_against_names_and_personal_details(world: World) -> None:
    page = client_for(world.a_editor).get(create_url(world)).content.decode()
    assert "Do not write names or other details by which a person can be recognised" in page
    assert 'type="date"' in page and 'type="checkbox"' in page


@pytest.mark.parametrize("user", ["a_editor", "a_admin"])
def test_officer_adds_an_observation_on_any_indicator(world: World, user: str) -> None:
    response = client_for(getattr(world, user)).post(create_url(world), form_data(world, ["work", "education"]))
    assert response.status_code == 302
    assert response["Location"] == list_url(world)
    observation = Observation.objects.get()
    assert observation.partner is None
    assert observation.organisation_name == "Gemeente A"
    assert observation.author == getattr(world, user)
    assert observation.method == Method.GROUP_CONVERSATION
    assert observation.observed_on == datetime.date(2026, 2, 14)
    assert {indicator.code for indicator in observation.indicators.all()} == {"work", "education"}


def test_viewer_cannot_add(world: World) -> None:
    client = client_for(world.a_viewer)
    assert client.get(create_url(world)).status_code == 403
    assert client.post(create_url(world), form_data(world, ["work"])).status_code == 403
    assert not Observation.objects.exists()
    assert "Add an observation" not in client.get(list_url(world)).content.decode()


def test_partner_adds_an_observation_on_its_own_indicator(world: World, partner_p: PartnerOrganisation) -> None:
    client = client_for(world.partner_user)
    page = client.get(create_url(world)).content.decode()
    assert "Education" in page and "Housing" not in page
    assert 'name="organisation"' not in page  # one organisation: nothing to choose
    response = client.post(create_url(world), form_data(world, ["education"]))
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.partner == partner_p
    assert observation.organisation_name == "Partner P"
    assert observation.author == world.partner_user


def test_partner_posting_an_unassigned_indicator_gets_a_field_error(world: World) -> None:
    response = client_for(world.partner_user).post(create_url(world), form_data(world, ["education", "work"]))
    assert response.status_code == 200
    assert "You cannot write about this indicator" in response.content.decode()
    assert not Observation.objects.exists()


def test_partner_of_two_organisations_chooses_which_one_wrote_it(world: World) -> None:
    assign_partner(
        municipality=world.a,
        partner_name="Partner R",
        kind=PartnerKind.OTHER,
        indicator_codes=["health-and-social-care"],
        members=[world.partner_user],
    )
    r = PartnerOrganisation.objects.get(name="Partner R")
    client = client_for(world.partner_user)
    page = client.get(create_url(world)).content.decode()
    assert 'name="organisation"' in page and "Partner R" in page
    # An indicator of the other organisation is refused.
    response = client.post(create_url(world), form_data(world, ["education"], organisation=str(r.pk)))
    assert response.status_code == 200
    assert "Partner R does not work on all of these indicators." in response.content.decode()
    assert not Observation.objects.exists()
    assert (
        client.post(create_url(world), form_data(world, ["health-and-social-care"], organisation=str(r.pk))).status_code
        == 302
    )
    observation = Observation.objects.get()
    assert observation.partner == r and observation.organisation_name == "Partner R"


def test_organisation_the_partner_does_not_belong_to_is_refused(world: World, partner_q: User) -> None:
    assign_partner(
        municipality=world.a,
        partner_name="Partner R",
        kind=PartnerKind.OTHER,
        indicator_codes=["health-and-social-care"],
        members=[world.partner_user],
    )
    q = PartnerOrganisation.objects.get(name="Partner Q")
    response = client_for(world.partner_user).post(
        create_url(world), form_data(world, ["education"], organisation=str(q.pk))
    )
    assert response.status_code == 200
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"indicators": []}, "Choose at least one indicator."),
        ({"observed_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"method": "gossip"}, "Select a valid choice."),
        ({"title": ""}, "This field is required."),
        ({"text": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_input_is_a_form_error(world: World, overrides: dict, message: str) -> None:
    response = client_for(world.a_editor).post(create_url(world), form_data(world, ["work"], **overrides))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Observation.objects.exists()


def test_future_date_today_is_allowed(world: World) -> None:
    today = timezone.localdate().isoformat()
    response = client_for(world.a_editor).post(create_url(world), form_data(world, ["work"], observed_on=today))
    assert response.status_code == 302


def test_indicator_in_the_query_string_is_ticked(world: World) -> None:
    page = client_for(world.a_editor).get(create_url(world) + "?indicator=housing").content.decode()
    boxes = dict(re.findall(r'<input type="checkbox"[^>]*name="indicators" value="(\d+)"([^>]*)>', page))
    assert len(boxes) == 14
    housing = str(Indicator.objects.get(code="housing").pk)
    assert [pk for pk, rest in boxes.items() if "checked" in rest] == [housing]


def test_return_address_elsewhere_is_ignored(world: World) -> None:
    response = client_for(world.a_editor).post(
        create_url(world), {**form_data(world, ["work"]), "next": "https://evil.example/"}
    )
    assert response["Location"] == list_url(world)


# --- Editing and deleting ----------------------------------------------------------------------


def test_editor_edits_the_municipalitys_observation(world: World) -> None:
    observation = observe(world, ["work"])
    client = client_for(world.a_admin)
    assert client.get(url("observation_edit", observation)).status_code == 200
    response = client.post(url("observation_edit", observation), form_data(world, ["housing"], title="Changed"))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.title == "Changed"
    assert [indicator.code for indicator in observation.indicators.all()] == ["housing"]
    assert observation.organisation_name == "Gemeente A" and observation.partner is None


def test_viewer_cannot_edit_or_delete(world: World) -> None:
    observation = observe(world, ["work"])
    client = client_for(world.a_viewer)
    assert client.get(url("observation_edit", observation)).status_code == 403
    assert client.post(url("observation_edit", observation), form_data(world, ["work"], title="X")).status_code == 403
    assert client.get(url("observation_delete", observation)).status_code == 403
    assert client.post(url("observation_delete", observation)).status_code == 403
    observation.refresh_from_db()
    assert observation.title == "Waiting lists"


def test_partner_edits_its_own_observation(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    client = client_for(world.partner_user)
    response = client.post(url("observation_edit", observation), form_data(world, ["education"], title="Better"))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.title == "Better" and observation.partner == partner_p


def test_partner_cannot_add_an_unassigned_indicator_when_editing(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    response = client_for(world.partner_user).post(
        url("observation_edit", observation), form_data(world, ["education", "work"])
    )
    assert response.status_code == 200
    assert "You cannot write about this indicator" in response.content.decode()
    assert [indicator.code for indicator in observation.indicators.all()] == ["education"]


def test_editing_keeps_indicators_the_writer_can_no_longer_choose(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education", "language-and-communication"], partner=partner_p)
    assign_partner(
        municipality=world.a, partner_name="Partner P", kind=PartnerKind.LANGUAGE_SCHOOL, indicator_codes=["education"]
    )
    response = client_for(world.partner_user).post(
        url("observation_edit", observation), form_data(world, ["education"], title="Still both")
    )
    assert response.status_code == 302
    assert {indicator.code for indicator in observation.indicators.all()} == {"education", "language-and-communication"}


def test_staff_cannot_edit_a_partners_observation(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    client = client_for(world.a_admin)
    assert client.get(url("observation_edit", observation)).status_code == 403
    assert client.post(url("observation_delete", observation)).status_code == 403
    assert Observation.objects.filter(pk=observation.pk).exists()


def test_partner_cannot_edit_the_municipalitys_observation(world: World) -> None:
    observation = observe(world, ["education"])
    client = client_for(world.partner_user)
    assert client.get(url("observation_edit", observation)).status_code == 403
    assert client.post(url("observation_delete", observation)).status_code == 403
    assert Observation.objects.filter(pk=observation.pk).exists()


def test_another_partner_organisation_cannot_edit_or_delete(
    world: World, partner_p: PartnerOrganisation, partner_q: User
) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    client = client_for(partner_q)
    assert observation.title in client.get(list_url(world)).content.decode()  # Q works on education too
    assert client.get(url("observation_edit", observation)).status_code == 403
    assert client.post(url("observation_edit", observation), form_data(world, ["education"])).status_code == 403
    assert client.post(url("observation_delete", observation)).status_code == 403
    observation.refresh_from_db()
    assert observation.title == "Waiting lists"


def test_edit_and_delete_links_only_where_allowed(world: World, partner_p: PartnerOrganisation) -> None:
    own = observe(world, ["education"], partner=partner_p, title="Own")
    theirs = observe(world, ["education"], title="Theirs")
    page = client_for(world.partner_user).get(list_url(world)).content.decode()
    assert url("observation_edit", own) in page and url("observation_delete", own) in page
    assert url("observation_edit", theirs) not in page and url("observation_delete", theirs) not in page
    viewer = client_for(world.a_viewer).get(list_url(world)).content.decode()
    assert "/edit/" not in viewer and "/delete/" not in viewer and "/report/" not in viewer


def test_delete_asks_first_then_deletes_and_writes_the_audit_log(world: World) -> None:
    observation = observe(world, ["work"], title="To go")
    client = client_for(world.a_editor)
    confirm = client.get(url("observation_delete", observation))
    assert confirm.status_code == 200 and "Delete the observation?" in confirm.content.decode()
    assert Observation.objects.filter(pk=observation.pk).exists()
    response = client.post(url("observation_delete", observation))
    assert response.status_code == 302
    assert not Observation.objects.filter(pk=observation.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.OBSERVATION_DELETE)
    assert event.municipality == world.a and event.actor == world.a_editor
    assert event.detail == {"title": "To go", "organisation": "Gemeente A"}


def test_partner_deletes_its_own_observation(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    assert client_for(world.partner_user).post(url("observation_delete", observation)).status_code == 302
    assert not Observation.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.OBSERVATION_DELETE)
    assert event.actor == world.partner_user and event.detail["organisation"] == "Partner P"


def test_failed_audit_record_keeps_the_observation(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    observation = observe(world, ["work"])

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.delete_observation(observation=observation, by=world.a_editor)
    assert Observation.objects.filter(pk=observation.pk).exists()


# --- For the report ----------------------------------------------------------------------------


def test_editor_selects_and_deselects_for_the_report(world: World, partner_p: PartnerOrganisation) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    client = client_for(world.a_editor)
    response = client.post(url("observation_report", observation), {"in_report": "1"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.in_report
    client.post(url("observation_report", observation), {"in_report": "0"})
    observation.refresh_from_db()
    assert not observation.in_report


@pytest.mark.parametrize("user", ["a_viewer", "partner_user"])
def test_viewer_and_partner_cannot_select_for_the_report(
    world: World, partner_p: PartnerOrganisation, user: str
) -> None:
    observation = observe(world, ["education"], partner=partner_p)
    assert (
        client_for(getattr(world, user)).post(url("observation_report", observation), {"in_report": "1"}).status_code
        == 403
    )
    observation.refresh_from_db()
    assert not observation.in_report


@pytest.mark.parametrize("data", [{}, {"in_report": "yes"}])
def test_selecting_for_the_report_without_a_clear_choice_is_400(world: World, data: dict) -> None:
    observation = observe(world, ["work"], in_report=True)
    assert client_for(world.a_editor).post(url("observation_report", observation), data).status_code == 400
    observation.refresh_from_db()
    assert observation.in_report


def test_selecting_for_the_report_is_post_only(world: World) -> None:
    observation = observe(world, ["work"])
    assert client_for(world.a_editor).get(url("observation_report", observation)).status_code == 405


# --- The list ------------------------------------------------------------------------------------


def titles(page: str) -> list[str]:
    return [part.split("</h3>")[0].split(">")[-1] for part in page.split('class="h5 mb-1"')[1:]]


def test_list_is_newest_first(world: World) -> None:
    observe(world, ["work"], title="Old", observed_on=datetime.date(2026, 1, 1))
    observe(world, ["work"], title="New", observed_on=datetime.date(2027, 1, 1))
    observe(world, ["work"], title="Middle", observed_on=datetime.date(2026, 6, 1))
    assert titles(client_for(world.a_viewer).get(list_url(world)).content.decode()) == ["New", "Middle", "Old"]


def test_list_filters_by_indicator_method_and_organisation(world: World, partner_p: PartnerOrganisation) -> None:
    observe(world, ["work"], title="Work interview", method=Method.INTERVIEW)
    observe(world, ["housing"], title="Housing group", method=Method.GROUP_CONVERSATION)
    observe(world, ["education"], title="Partner interview", partner=partner_p, method=Method.INTERVIEW)
    client = client_for(world.a_viewer)

    def found(**params: str) -> set[str]:
        response = client.get(list_url(world), params)
        assert response.status_code == 200
        return set(titles(response.content.decode()))

    assert found() == {"Work interview", "Housing group", "Partner interview"}
    assert found(indicator="work") == {"Work interview"}
    assert found(method=Method.INTERVIEW) == {"Work interview", "Partner interview"}
    assert found(organisation="Partner P") == {"Partner interview"}
    assert found(organisation="Gemeente A", method=Method.INTERVIEW) == {"Work interview"}


@pytest.mark.parametrize(
    "params",
    [{"indicator": "no-such-indicator"}, {"method": "gossip"}, {"organisation": "Nobody Inc."}],
)
def test_a_bad_filter_is_400_with_a_message(world: World, params: dict) -> None:
    observe(world, ["work"])
    response = client_for(world.a_viewer).get(list_url(world), params)
    assert response.status_code == 400
    assert "Select a valid choice." in html.unescape(response.content.decode())


def test_partner_cannot_filter_on_an_unassigned_indicator(world: World) -> None:
    observe(world, ["education", "work"])
    assert client_for(world.partner_user).get(list_url(world), {"indicator": "work"}).status_code == 400
    assert client_for(world.partner_user).get(list_url(world), {"indicator": "education"}).status_code == 200


def test_list_has_pages_of_20(world: World) -> None:
    for day in range(1, 26):
        observe(world, ["work"], title=f"Day {day}", observed_on=datetime.date(2027, 1, day))
    client = client_for(world.a_viewer)
    first = titles(client.get(list_url(world), {"indicator": "work"}).content.decode())
    second_page = client.get(list_url(world), {"indicator": "work", "page": "2"}).content.decode()
    assert first == [f"Day {day}" for day in range(25, 5, -1)]
    assert titles(second_page) == [f"Day {day}" for day in range(5, 0, -1)]
    assert "indicator=work&amp;page=1" in second_page
    assert client.get(list_url(world), {"page": "nonsense"}).status_code == 200


def count_queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context)


@pytest.mark.parametrize("user", ["a_editor", "partner_user"])
def test_list_query_count_does_not_grow(world: World, partner_p: PartnerOrganisation, user: str) -> None:
    client = client_for(getattr(world, user))
    for number in range(3):
        observe(world, ["education", "work"], partner=partner_p if number % 2 else None)
    few = count_queries(client, list_url(world))
    for number in range(27):
        observe(world, ["education", "work", "housing"], partner=partner_p if number % 2 else None)
    assert count_queries(client, list_url(world)) == few


def test_user_text_is_escaped(world: World) -> None:
    assign_partner(municipality=world.a, partner_name=SCRIPT, kind=PartnerKind.OTHER, indicator_codes=["work"])
    observe(world, ["work"], title=SCRIPT, text=f"first line\n{SCRIPT}")
    observe(world, ["work"], partner=PartnerOrganisation.objects.get(name=SCRIPT))
    for address in (list_url(world), url("observation_delete", Observation.objects.filter(partner=None).get())):
        page = client_for(world.a_editor).get(address).content.decode()
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = client_for(world.a_editor).get(list_url(world)).content.decode()
    assert "<p>first line<br>&lt;script&gt;" in page


def test_staff_who_is_also_a_partner_member_writes_for_the_municipality(world: World) -> None:
    add_member(municipality=world.a, user=world.partner_user, role=Role.EDITOR)
    assert client_for(world.partner_user).post(create_url(world), form_data(world, ["work"])).status_code == 302
    assert Observation.objects.get().partner is None
