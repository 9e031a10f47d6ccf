from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import P_INDICATORS, World
from tenants import services
from tenants.access import Level, resolve_access
from tenants.models import (
    AuditAction,
    AuditEvent,
    PartnerKind,
    PartnerMembership,
    PartnerOrganisation,
    Partnership,
    StaffInvitation,
    User,
)

SITE = "https://integration.example.org"
PASSWORD = "a-fresh-long-password-7"


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    settings.SITE_URL = SITE


def url(world: World, name: str, partnership: Partnership | None = None, **kwargs: str) -> str:
    if partnership is not None:
        kwargs["public_id"] = partnership.partner.public_id
    return reverse(name, kwargs={"slug": world.a.slug, **kwargs})


def assignment_data(**notes: str) -> dict[str, str]:
    """The assignment form ticking the indicators given by code, each with its note."""
    data = {}
    for code, note in notes.items():
        data[f"assigned-{code}"] = "on"
        data[f"note-{code}"] = note
    return data


def assigned(partnership: Partnership) -> dict[str, str]:
    return dict(partnership.assignments.values_list("indicator__code", "note"))


def partner_actions(world: World) -> list[str]:
    events = AuditEvent.objects.filter(municipality=world.a, actor__isnull=False).order_by("pk")
    return list(events.values_list("action", flat=True))


# Adding and linking


def test_adding_a_partner_creates_the_organisation_and_records_it(world: World) -> None:
    response = world.client_for(world.a_admin).post(
        url(world, "partners"), {"name": "  Buurthuis   De Linde ", "kind": PartnerKind.WELFARE}
    )
    partner = PartnerOrganisation.objects.get(name="Buurthuis De Linde")
    assert partner.kind == PartnerKind.WELFARE
    partnership = Partnership.objects.get(partner=partner, municipality=world.a)
    assert response.status_code == 302 and response["Location"] == url(world, "partner_detail", partnership)
    event = AuditEvent.objects.get(action=AuditAction.PARTNER_ADD)
    assert event.actor == world.a_admin and event.detail["partner"] == "Buurthuis De Linde"
    assert event.detail["linked"] is False


def test_adding_a_known_organisation_links_it_whatever_the_case(world: World) -> None:
    services.assign_partner(
        municipality=world.b, partner_name="Taalschool Noord", kind=PartnerKind.LANGUAGE_SCHOOL, indicator_codes=[]
    )
    client = world.client_for(world.a_admin)
    response = client.post(
        url(world, "partners"),
        {"name": "taalschool NOORD", "kind": PartnerKind.OTHER},
        headers={"accept-language": "en"},
        follow=True,
    )
    assert PartnerOrganisation.objects.filter(name__iexact="taalschool noord").count() == 1
    partner = PartnerOrganisation.objects.get(name="Taalschool Noord")
    assert partner.kind == PartnerKind.LANGUAGE_SCHOOL
    assert Partnership.objects.filter(partner=partner, municipality=world.a, ended_at=None).exists()
    assert Partnership.objects.filter(partner=partner, municipality=world.b).exists()
    assert "already existed" in response.content.decode()
    assert AuditEvent.objects.get(action=AuditAction.PARTNER_ADD).detail["linked"] is True


def test_adding_a_current_partner_again_is_a_form_error(world: World) -> None:
    response = world.client_for(world.a_admin).post(
        url(world, "partners"), {"name": "partner p", "kind": PartnerKind.OTHER}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert "already works with you" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PARTNER_ADD).exists()


def test_empty_name_is_a_form_error(world: World) -> None:
    response = world.client_for(world.a_admin).post(url(world, "partners"), {"name": "", "kind": "nonsense"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "kind"}


def test_an_ended_partnership_can_start_again(world: World) -> None:
    services.end_partnership(partnership=world.partnership, by=world.a_admin)
    response = world.client_for(world.a_admin).post(
        url(world, "partners"), {"name": "Partner P", "kind": PartnerKind.LANGUAGE_SCHOOL}
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.ended_at is None
    assert Partnership.objects.filter(municipality=world.a).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PARTNER_ADD).get().detail["restarted"] is True
    assert resolve_access(world.partner_user, world.a).level == Level.PARTNER


def test_partners_page_lists_active_and_ended_partnerships(world: World) -> None:
    ended = services.add_partner(municipality=world.a, name="Oud Partner", kind=PartnerKind.OTHER, by=world.a_admin)
    services.end_partnership(partnership=ended.partnership, by=world.a_admin)
    services.invite(municipality=world.a, email="p2@example.org", partner=world.partnership.partner, by=world.a_admin)
    response = world.client_for(world.a_admin).get(url(world, "partners"))
    assert response.status_code == 200
    [active] = response.context["active"]
    assert active == world.partnership
    assert (active.member_count, active.pending_count) == (1, 1)
    assert sorted(a.indicator.code for a in active.assignments.all()) == sorted(P_INDICATORS)
    assert [p.partner.name for p in response.context["ended"]] == ["Oud Partner"]


def test_organisation_names_are_escaped(world: World) -> None:
    name = '<script>alert("x")</script>'
    added = services.add_partner(municipality=world.a, name=name, kind=PartnerKind.OTHER, by=world.a_admin)
    client = world.client_for(world.a_admin)
    for page in (url(world, "partners"), url(world, "partner_detail", added.partnership)):
        content = client.get(page).content.decode()
        assert name not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_partners_page_uses_a_fixed_number_of_queries(world: World) -> None:
    client = world.client_for(world.a_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world, "partners")).status_code == 200
        return len(queries)

    few = count()
    for number in range(5):
        added = services.add_partner(
            municipality=world.a, name=f"Partner {number}", kind=PartnerKind.OTHER, by=world.a_admin
        )
        services.set_assignments(
            partnership=added.partnership,
            notes=dict.fromkeys(Indicator.objects.all()[:3], ""),
            by=world.a_admin,
        )
        services.invite(
            municipality=world.a, email=f"m{number}@example.org", partner=added.partnership.partner, by=world.a_admin
        )
        if number % 2:
            services.end_partnership(partnership=added.partnership, by=world.a_admin)
    assert count() == few


# Indicators


def test_assignments_are_saved_with_notes_and_recorded(world: World) -> None:
    data = assignment_data(education="Taalles op school", work="Werkervaringsplekken")
    response = world.client_for(world.a_admin).post(url(world, "partner_detail", world.partnership), data)
    assert response.status_code == 302
    assert assigned(world.partnership) == {"education": "Taalles op school", "work": "Werkervaringsplekken"}
    event = AuditEvent.objects.get(action=AuditAction.ASSIGNMENT_CHANGE, actor=world.a_admin)
    assert event.detail == {
        "partner": "Partner P",
        "added": ["work"],
        "removed": ["language-and-communication"],
        "notes_changed": ["education"],
    }
    access = resolve_access(world.partner_user, world.a)
    assert {i.code for i in access.indicators()} == {"education", "work"}


def test_saving_unchanged_assignments_records_nothing(world: World) -> None:
    data = assignment_data(**dict.fromkeys(P_INDICATORS, ""))
    world.client_for(world.a_admin).post(url(world, "partner_detail", world.partnership), data)
    assert not AuditEvent.objects.filter(action=AuditAction.ASSIGNMENT_CHANGE, actor=world.a_admin).exists()


def test_a_note_too_long_is_a_field_error_and_nothing_changes(world: World) -> None:
    data = assignment_data(education="x" * 301, safety="Buurtpreventie")
    response = world.client_for(world.a_admin).post(url(world, "partner_detail", world.partnership), data)
    assert response.status_code == 400
    assert "note-education" in response.context["assignment_form"].errors
    assert set(assigned(world.partnership)) == set(P_INDICATORS)


def test_partner_detail_shows_all_fourteen_indicators(world: World) -> None:
    response = world.client_for(world.a_admin).get(url(world, "partner_detail", world.partnership))
    rows = list(response.context["assignment_form"].rows())
    assert len(rows) == 14
    ticked = {indicator.code for indicator, box, _note in rows if box.value()}
    assert ticked == set(P_INDICATORS)


# Members and invitations


def test_invited_partner_member_accepts_and_sees_only_the_assigned_indicators(world: World) -> None:
    response = world.client_for(world.a_admin).post(
        url(world, "partner_invite", world.partnership), {"email": "docent@taalschool.example"}
    )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    assert invitation.partner == world.partnership.partner and invitation.role == ""
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith(SITE + "/invitation/")
    newcomer = Client()
    page = newcomer.get(link.removeprefix(SITE), headers={"accept-language": "en"})
    assert "Partner P" in page.content.decode()
    response = newcomer.post(link.removeprefix(SITE), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username="docent@taalschool.example")
    assert PartnerMembership.objects.filter(user=user, partner=world.partnership.partner).exists()
    access = resolve_access(user, world.a)
    assert access.level == Level.PARTNER
    assert {i.code for i in access.indicators()} == set(P_INDICATORS)
    # The home page lets them in (it sends partners on to their workspace).
    assert newcomer.get(reverse("municipality", kwargs={"slug": world.a.slug})).status_code != 404
    assert resolve_access(user, world.b) is None
    assert partner_actions(world) == [AuditAction.INVITATION_SEND, AuditAction.INVITATION_ACCEPT]


def test_inviting_a_partner_member_with_an_account_adds_them(world: World) -> None:
    world.nobody.email = "nobody@example.org"
    world.nobody.save()
    world.client_for(world.a_admin).post(
        url(world, "partner_invite", world.partnership), {"email": "nobody@example.org"}
    )
    assert PartnerMembership.objects.filter(user=world.nobody, partner=world.partnership.partner).exists()
    assert not StaffInvitation.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_ADD)
    assert event.detail["partner"] == "Partner P"


def test_partner_invite_with_a_bad_address_is_a_form_error(world: World) -> None:
    response = world.client_for(world.a_admin).post(
        url(world, "partner_invite", world.partnership), {"email": "no address"}
    )
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    assert not StaffInvitation.objects.exists()


def test_partner_detail_lists_members_and_open_invitations(world: World) -> None:
    world.partner_user.email = "p-member@example.org"
    world.partner_user.save()
    services.invite(
        municipality=world.a, email="later@example.org", partner=world.partnership.partner, by=world.a_admin
    )
    response = world.client_for(world.a_admin).get(url(world, "partner_detail", world.partnership))
    content = response.content.decode()
    assert "p-member@example.org" in content and "later@example.org" in content
    assert [i.email for i in response.context["invitations"]] == ["later@example.org"]


def test_withdrawing_a_partner_invitation_returns_to_the_partner(world: World) -> None:
    invitation, _link = services.invite(
        municipality=world.a, email="later@example.org", partner=world.partnership.partner, by=world.a_admin
    )
    response = world.client_for(world.a_admin).post(url(world, "invitation_withdraw", public_id=invitation.public_id))
    assert response["Location"] == url(world, "partner_detail", world.partnership)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None


# Ending


def test_ending_a_partnership_takes_access_away_at_once(world: World) -> None:
    _invitation, link = services.invite(
        municipality=world.a, email="later@example.org", partner=world.partnership.partner, by=world.a_admin
    )
    member = world.client_for(world.partner_user)
    home = reverse("municipality", kwargs={"slug": world.a.slug})
    assert member.get(home).status_code != 404  # partners are sent on to their workspace
    response = world.client_for(world.a_admin).post(url(world, "partner_end", world.partnership), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url(world, "partners")
    assert member.get(home).status_code == 404
    world.partnership.refresh_from_db()
    assert world.partnership.ended_at is not None
    assert PartnerMembership.objects.filter(user=world.partner_user).exists()
    assert Client().get(link.removeprefix(SITE)).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.PARTNER_END)
    assert event.detail == {"partner": "Partner P", "invitations_withdrawn": 1}


def test_ending_needs_the_confirmation(world: World) -> None:
    response = world.client_for(world.a_admin).post(url(world, "partner_end", world.partnership), {})
    assert response.status_code == 400
    assert "confirm" in response.context["end_form"].errors
    world.partnership.refresh_from_db()
    assert world.partnership.ended_at is None


def test_the_indicators_of_an_ended_partnership_cannot_be_changed(world: World) -> None:
    services.end_partnership(partnership=world.partnership, by=world.a_admin)
    with pytest.raises(ValidationError):
        services.set_assignments(partnership=world.partnership, notes={}, by=world.a_admin)
    assert set(assigned(world.partnership)) == set(P_INDICATORS)


def test_partner_detail_uses_a_fixed_number_of_queries(world: World) -> None:
    client = world.client_for(world.a_admin)
    page = url(world, "partner_detail", world.partnership)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    few = count()
    partner = world.partnership.partner
    for number in range(5):
        user = User.objects.create_user(username=f"member-{number}", email=f"member-{number}@example.org")
        PartnerMembership.objects.create(user=user, partner=partner)
        services.invite(municipality=world.a, email=f"new-{number}@example.org", partner=partner, by=world.a_admin)
    assert count() == few


def test_ended_partnership_page_opens_read_only(world: World) -> None:
    services.end_partnership(partnership=world.partnership, by=world.a_admin)
    client = world.client_for(world.a_admin)
    page = client.get(url(world, "partner_detail", world.partnership), headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Start the partnership again" in page.content.decode()
    client.post(url(world, "partner_detail", world.partnership), assignment_data(safety="Nieuw"))
    client.post(url(world, "partner_invite", world.partnership), {"email": "late@example.org"})
    assert set(assigned(world.partnership)) == set(P_INDICATORS)
    assert not StaffInvitation.objects.exists()


def test_a_partner_invitation_stops_working_when_the_partnership_ends(world: World) -> None:
    _invitation, link = services.invite(
        municipality=world.a, email="later@example.org", partner=world.partnership.partner, by=world.a_admin
    )
    Partnership.objects.filter(pk=world.partnership.pk).update(ended_at=world.partnership.created_at)
    response = Client().post(link.removeprefix(SITE), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(username="later@example.org").exists()


# Who may do what


def partner_endpoints(world: World, partnership: Partnership) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("get", url(world, "partners"), {}),
        ("post", url(world, "partners"), {"name": "Sneaky", "kind": "other"}),
        ("get", url(world, "partner_detail", partnership), {}),
        ("post", url(world, "partner_detail", partnership), assignment_data(safety="x")),
        ("post", url(world, "partner_invite", partnership), {"email": "sneaky@example.org"}),
        ("post", url(world, "partner_end", partnership), {"confirm": "on"}),
    ]


def assert_nothing_changed(world: World) -> None:
    assert not PartnerOrganisation.objects.filter(name="Sneaky").exists()
    assert set(assigned(world.partnership)) == set(P_INDICATORS)
    assert not StaffInvitation.objects.exists()
    world.partnership.refresh_from_db()
    assert world.partnership.ended_at is None


@pytest.mark.parametrize(
    ("who", "status"), [("a_editor", 403), ("a_viewer", 403), ("partner_user", 403), ("b_admin", 404), ("nobody", 404)]
)
def test_only_the_municipality_s_administrators_manage_partners(world: World, who: str, status: int) -> None:
    client = world.client_for(getattr(world, who))
    for method, page, data in partner_endpoints(world, world.partnership):
        assert getattr(client, method)(page, data).status_code == status, page
    assert_nothing_changed(world)


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    for method, page, data in partner_endpoints(world, world.partnership):
        response = getattr(Client(), method)(page, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), page
    assert_nothing_changed(world)


def test_another_municipality_s_partner_is_not_found(world: World) -> None:
    b_only = services.assign_partner(
        municipality=world.b, partner_name="Partner of B", kind=PartnerKind.OTHER, indicator_codes=["safety"]
    )
    client = world.client_for(world.a_admin)
    for method, page, data in partner_endpoints(world, b_only)[2:]:
        assert getattr(client, method)(page, data).status_code == 404, page
    b_only.refresh_from_db()
    assert b_only.ended_at is None and set(assigned(b_only)) == {"safety"}
    assert not StaffInvitation.objects.exists()


@pytest.mark.parametrize("name", ["partner_invite", "partner_end"])
def test_partner_actions_refuse_get(world: World, name: str) -> None:
    assert world.client_for(world.a_admin).get(url(world, name, world.partnership)).status_code == 405
    world.partnership.refresh_from_db()
    assert world.partnership.ended_at is None
