from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integration_mapping.testing import PASSWORD, World
from integration_mapping.tokens import hash_token
from tenants import services
from tenants.access import resolve_access
from tenants.models import AuditAction, AuditEvent, Membership, Role, StaffInvitation, User

SITE = "https://integration.example.org"
NEW_PASSWORD = "a-fresh-long-password-7"


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    """A site address unlike the test client's host, so a link built from the request would show."""
    settings.SITE_URL = SITE


def team_url(world: World, name: str = "team", **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": world.a.slug, **kwargs})


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    assert link.startswith(SITE + "/")
    return link.removeprefix(SITE)


def invite(
    world: World, email: str = "new.person@example.org", role: Role = Role.EDITOR
) -> tuple[StaffInvitation, str]:
    invitation, link = services.invite(municipality=world.a, email=email, role=role, by=world.a_admin)
    return invitation, link


def accept(link: str, client: Client | None = None, **data: str):
    data = {"first_name": "Nieuw", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **data}
    return (client or Client()).post(path_of(link), data)


def actions(world: World) -> list[str]:
    """What people did in A (setting up the test world is done by no one)."""
    events = AuditEvent.objects.filter(municipality=world.a, actor__isnull=False).order_by("pk")
    return list(events.values_list("action", flat=True))


# Inviting and accepting


def test_invited_colleague_gets_a_site_link_and_joins_with_the_role(world: World) -> None:
    admin = world.client_for(world.a_admin)
    response = admin.post(team_url(world), {"email": "New.Person@Example.org", "role": Role.EDITOR})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    link = link_in(message)
    assert link.startswith(SITE + "/invitation/")

    newcomer = Client()
    page = newcomer.get(path_of(link), headers={"accept-language": "en"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Gemeente A" in content and "new.person@example.org" in content
    assert "e-mail address as your username" in content

    response = accept(link, newcomer)
    assert response.status_code == 302
    assert response["Location"] == reverse("municipality", kwargs={"slug": world.a.slug})
    user = User.objects.get(username="new.person@example.org")
    assert user.email == "new.person@example.org" and user.first_name == "Nieuw"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user, municipality=world.a).role == Role.EDITOR
    assert newcomer.session[SESSION_KEY] == str(user.pk)
    assert newcomer.get(reverse("municipality", kwargs={"slug": world.a.slug})).status_code == 200
    invitation = StaffInvitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert actions(world) == [AuditAction.INVITATION_SEND, AuditAction.INVITATION_ACCEPT]


def test_new_member_signs_in_with_the_email_address(world: World) -> None:
    _invitation, link = invite(world)
    accept(link)
    client = Client()
    response = client.post(reverse("login"), {"username": "new.person@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_the_token_is_stored_only_as_a_hash(world: World) -> None:
    invitation, link = invite(world)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 random bits in URL-safe base64
    assert invitation.token_hash == hash_token(token)
    stored = str(list(StaffInvitation.objects.values())) + str(list(AuditEvent.objects.values()))
    assert token not in stored


def test_inviting_someone_with_an_account_adds_them_at_once(world: World) -> None:
    world.nobody.email = "nobody@example.org"
    world.nobody.save()
    response = world.client_for(world.a_admin).post(
        team_url(world), {"email": "NOBODY@example.org", "role": Role.VIEWER}, headers={"accept-language": "en"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=world.nobody, municipality=world.a).role == Role.VIEWER
    assert not StaffInvitation.objects.exists()
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0]) == SITE + reverse("municipality", kwargs={"slug": world.a.slug})
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_ADD)
    assert event.detail["user"] == "nobody" and event.detail["role"] == Role.VIEWER


def test_inviting_a_team_member_again_is_a_form_error(world: World) -> None:
    world.a_viewer.email = "viewer@a.example"
    world.a_viewer.save()
    response = world.client_for(world.a_admin).post(
        team_url(world), {"email": "viewer@a.example", "role": Role.ADMINISTRATOR}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert "already on the team" in response.content.decode()
    assert Membership.objects.get(user=world.a_viewer, municipality=world.a).role == Role.VIEWER
    assert not mail.outbox


def test_invalid_email_is_a_form_error(world: World) -> None:
    response = world.client_for(world.a_admin).post(team_url(world), {"email": "not an address", "role": "editor"})
    assert response.status_code == 400
    assert not StaffInvitation.objects.exists()


def test_invitation_that_cannot_be_mailed_is_not_stored(world: World, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(services, "send_mail", broken)
    response = world.client_for(world.a_admin).post(
        team_url(world), {"email": "new@example.org", "role": "editor"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not StaffInvitation.objects.exists()
    assert actions(world) == []


def test_a_second_invitation_replaces_the_pending_one(world: World) -> None:
    first, first_link = invite(world, email="twice@example.org")
    second, _link = invite(world, email="Twice@example.org", role=Role.VIEWER)
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert list(StaffInvitation.objects.filter(withdrawn_at=None)) == [second]
    assert Client().get(path_of(first_link)).status_code == 404


def expire(invitation: StaffInvitation) -> None:
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def withdraw(invitation: StaffInvitation) -> None:
    StaffInvitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())


def use(invitation: StaffInvitation, link: str) -> None:
    assert accept(link).status_code == 302


@pytest.mark.parametrize("spoil", ["expired", "withdrawn", "used", "unknown"])
def test_links_that_no_longer_work_all_get_the_same_page(world: World, spoil: str) -> None:
    invitation, link = invite(world)
    if spoil == "expired":
        expire(invitation)
    elif spoil == "withdrawn":
        withdraw(invitation)
    elif spoil == "used":
        use(invitation, link)
    else:
        link = SITE + reverse("accept_invitation", kwargs={"token": "x" * 24})
    users = User.objects.count()
    for method in ("get", "post"):
        response = getattr(Client(), method)(path_of(link), headers={"accept-language": "en"})
        assert response.status_code == 404
        assert response.templates[0].name == "tenants/invitation_invalid.html"
        assert "This invitation link no longer works. Ask the person who invited you to send a new one." in (
            response.content.decode()
        )
    assert User.objects.count() == users


def test_expired_link_creates_no_account_even_with_a_valid_form(world: World) -> None:
    invitation, link = invite(world)
    expire(invitation)
    assert accept(link).status_code == 404
    assert not User.objects.filter(username="new.person@example.org").exists()


def test_a_second_submit_of_the_same_link_creates_nothing(world: World) -> None:
    _invitation, link = invite(world)
    assert accept(link).status_code == 302
    users, members = User.objects.count(), Membership.objects.count()
    response = accept(link, password1="another-password-99", password2="another-password-99")
    assert response.status_code == 404
    assert (User.objects.count(), Membership.objects.count()) == (users, members)
    assert actions(world).count(AuditAction.INVITATION_ACCEPT) == 1


def test_accepting_claims_the_invitation_once_in_the_service(world: World) -> None:
    _invitation, link = invite(world)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.accept_invitation(token=token, user=world.nobody) is not None
    assert services.accept_invitation(token=token, user=world.b_admin) is None
    assert not Membership.objects.filter(user=world.b_admin, municipality=world.a).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"password2": "something-else-entirely"}, "not the same"),
        ({"password1": "12345678", "password2": "12345678"}, "too common"),
    ],
)
def test_accept_form_checks_the_password(world: World, data: dict[str, str], error: str) -> None:
    invitation, link = invite(world)
    client = Client(headers={"accept-language": "en"})
    response = accept(link, client, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not User.objects.filter(username="new.person@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_someone_with_an_account_is_asked_to_sign_in(world: World) -> None:
    _invitation, link = invite(world)
    User.objects.create_user(username="other", email="new.person@example.org", password=PASSWORD)
    page = Client().get(path_of(link), headers={"accept-language": "en"})
    assert "There is already an account with this e-mail address" in page.content.decode()
    response = accept(link)
    assert response.status_code == 400
    assert User.objects.filter(email="new.person@example.org").count() == 1
    assert StaffInvitation.objects.get().accepted_at is None


def test_signed_in_person_accepts_as_themselves(world: World) -> None:
    _invitation, link = invite(world, role=Role.VIEWER)
    client = world.client_for(world.nobody)
    page = client.get(path_of(link), headers={"accept-language": "en"})
    assert "Accept as nobody" in page.content.decode()
    users = User.objects.count()
    response = client.post(path_of(link))
    assert response.status_code == 302
    assert User.objects.count() == users
    assert Membership.objects.get(user=world.nobody, municipality=world.a).role == Role.VIEWER
    assert StaffInvitation.objects.get().accepted_by == world.nobody


def test_accepting_never_lowers_an_existing_role(world: World) -> None:
    _invitation, link = invite(world, role=Role.VIEWER)
    world.client_for(world.a_editor).post(path_of(link))
    assert Membership.objects.get(user=world.a_editor, municipality=world.a).role == Role.EDITOR


# Withdrawing and sending again


def test_sending_again_makes_the_old_link_stop_working(world: World) -> None:
    invitation, old_link = invite(world)
    expire(invitation)
    response = world.client_for(world.a_admin).post(
        team_url(world, "invitation_resend", public_id=invitation.public_id)
    )
    assert response.status_code == 302 and response["Location"] == team_url(world)
    new_link = link_in(mail.outbox[-1])
    assert new_link != old_link and new_link.startswith(SITE)
    assert Client().get(path_of(old_link)).status_code == 404
    assert Client().get(path_of(new_link)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    event = AuditEvent.objects.filter(action=AuditAction.INVITATION_SEND).first()
    assert event.detail["resent"] is True


def test_withdrawing_makes_the_link_stop_working(world: World) -> None:
    invitation, link = invite(world)
    response = world.client_for(world.a_admin).post(
        team_url(world, "invitation_withdraw", public_id=invitation.public_id)
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert Client().get(path_of(link)).status_code == 404
    assert actions(world)[-1] == AuditAction.INVITATION_WITHDRAW


@pytest.mark.parametrize("name", ["invitation_withdraw", "invitation_resend"])
def test_an_accepted_invitation_cannot_be_withdrawn_or_sent_again(world: World, name: str) -> None:
    invitation, link = invite(world)
    use(invitation, link)
    events, sent = AuditEvent.objects.count(), len(mail.outbox)
    response = world.client_for(world.a_admin).post(
        team_url(world, name, public_id=invitation.public_id), headers={"accept-language": "en"}, follow=True
    )
    assert "can no longer be withdrawn or sent again" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    assert (AuditEvent.objects.count(), len(mail.outbox)) == (events, sent)


def test_team_page_lists_members_and_open_invitations(world: World) -> None:
    invite(world, email="waiting@example.org")
    accepted, link = invite(world, email="accepted@example.org")
    use(accepted, link)
    response = world.client_for(world.a_admin).get(team_url(world))
    assert response.status_code == 200
    assert {m.user.username for m in response.context["members"]} == {
        "a-administrator",
        "a-editor",
        "a-viewer",
        "accepted@example.org",
    }
    assert [i.email for i in response.context["invitations"]] == ["waiting@example.org"]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_team_page_uses_a_fixed_number_of_queries(world: World) -> None:
    client = world.client_for(world.a_admin)
    few = count_queries(client, team_url(world))
    for number in range(6):
        user = User.objects.create_user(username=f"extra-{number}", email=f"extra-{number}@example.org")
        services.add_member(municipality=world.a, user=user, role=Role.VIEWER)
        invite(world, email=f"invited-{number}@example.org")
    assert count_queries(client, team_url(world)) == few


# Roles and removal


def membership(world: World, user: User) -> Membership:
    return Membership.objects.get(user=user, municipality=world.a)


def test_role_change_is_saved_and_recorded(world: World) -> None:
    target = membership(world, world.a_viewer)
    response = world.client_for(world.a_admin).post(
        team_url(world, "member_role"), {"member": target.pk, "role": Role.EDITOR}
    )
    assert response.status_code == 302 and response["Location"] == team_url(world)
    assert membership(world, world.a_viewer).role == Role.EDITOR
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE)
    assert event.actor == world.a_admin
    assert event.detail == {"user": "a-viewer", "old": "viewer", "new": "editor"}


def test_the_last_administrator_cannot_be_demoted(world: World) -> None:
    own = membership(world, world.a_admin)
    client = world.client_for(world.a_admin)
    response = client.post(
        team_url(world, "member_role"), {"member": own.pk, "role": Role.VIEWER}, headers={"accept-language": "en"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"], headers={"accept-language": "en"})
    assert "is the only administrator" in page.content.decode()
    assert membership(world, world.a_admin).role == Role.ADMINISTRATOR
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).exists()


def test_the_last_administrator_cannot_be_removed(world: World) -> None:
    own = membership(world, world.a_admin)
    client = world.client_for(world.a_admin)
    response = client.post(
        team_url(world, "member_remove"), {"member": own.pk}, headers={"accept-language": "en"}, follow=True
    )
    assert "is the only administrator" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MEMBER_REMOVE).exists()


def test_an_administrator_may_leave_when_another_remains(world: World) -> None:
    services.change_role(membership=membership(world, world.a_editor), role=Role.ADMINISTRATOR, by=world.a_admin)
    own = membership(world, world.a_admin)
    response = world.client_for(world.a_admin).post(team_url(world, "member_remove"), {"member": own.pk})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert resolve_access(world.a_admin, world.a) is None


def test_demoting_an_administrator_when_another_remains_works(world: World) -> None:
    services.change_role(membership=membership(world, world.a_editor), role=Role.ADMINISTRATOR, by=world.a_admin)
    response = world.client_for(world.a_admin).post(
        team_url(world, "member_role"), {"member": membership(world, world.a_editor).pk, "role": Role.VIEWER}
    )
    assert response.status_code == 302
    assert membership(world, world.a_editor).role == Role.VIEWER


def test_removing_a_member_takes_their_access(world: World) -> None:
    target = membership(world, world.a_viewer)
    response = world.client_for(world.a_admin).post(team_url(world, "member_remove"), {"member": target.pk})
    assert response.status_code == 302
    assert resolve_access(world.a_viewer, world.a) is None
    assert AuditEvent.objects.get(action=AuditAction.MEMBER_REMOVE).detail == {"user": "a-viewer", "role": "viewer"}


@pytest.mark.parametrize("name", ["member_role", "member_remove"])
def test_a_member_of_another_municipality_is_not_found(world: World, name: str) -> None:
    foreign = Membership.objects.get(user=world.b_admin)
    for member in (foreign.pk, "not-a-number", ""):
        response = world.client_for(world.a_admin).post(team_url(world, name), {"member": member, "role": "viewer"})
        assert response.status_code == 404
    assert Membership.objects.get(pk=foreign.pk).role == Role.ADMINISTRATOR


def test_an_unknown_role_is_refused(world: World) -> None:
    target = membership(world, world.a_viewer)
    response = world.client_for(world.a_admin).post(
        team_url(world, "member_role"), {"member": target.pk, "role": "owner"}
    )
    assert response.status_code == 400
    assert membership(world, world.a_viewer).role == Role.VIEWER


# Who may do what


def team_endpoints(world: World) -> tuple[list[tuple[str, str]], dict[str, object]]:
    """Every team URL with the method it answers, and data that would change something if allowed."""
    invitation, _link = invite(world)
    member = membership(world, world.a_viewer).pk
    return [
        ("get", team_url(world)),
        ("post", team_url(world)),
        ("post", team_url(world, "member_role")),
        ("post", team_url(world, "member_remove")),
        ("post", team_url(world, "invitation_withdraw", public_id=invitation.public_id)),
        ("post", team_url(world, "invitation_resend", public_id=invitation.public_id)),
    ], {"member": member, "role": "administrator", "email": "sneaky@example.org"}


@pytest.mark.parametrize(
    ("who", "status"), [("a_editor", 403), ("a_viewer", 403), ("partner_user", 403), ("b_admin", 404), ("nobody", 404)]
)
def test_only_the_municipality_s_administrators_manage_the_team(world: World, who: str, status: int) -> None:
    endpoints, data = team_endpoints(world)
    client = world.client_for(getattr(world, who))
    for method, url in endpoints:
        assert getattr(client, method)(url, data).status_code == status, url
    assert membership(world, world.a_viewer).role == Role.VIEWER
    assert StaffInvitation.objects.filter(withdrawn_at=None).count() == 1
    assert len(mail.outbox) == 1


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    endpoints, data = team_endpoints(world)
    for method, url in endpoints:
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_another_municipality_s_invitation_is_not_found(world: World) -> None:
    foreign, _link = services.invite(municipality=world.b, email="b@example.org", role=Role.VIEWER, by=world.b_admin)
    client = world.client_for(world.a_admin)
    for name in ("invitation_withdraw", "invitation_resend"):
        assert client.post(team_url(world, name, public_id=foreign.public_id)).status_code == 404
        # Even with the other municipality's own address, A's administrator has nothing there.
        url = reverse(name, kwargs={"slug": world.b.slug, "public_id": foreign.public_id})
        assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.withdrawn_at is None


@pytest.mark.parametrize("name", ["member_role", "member_remove", "invitation_withdraw", "invitation_resend"])
def test_actions_refuse_get(world: World, name: str) -> None:
    invitation, _link = invite(world)
    kwargs = {"public_id": invitation.public_id} if name.startswith("invitation") else {}
    assert world.client_for(world.a_admin).get(team_url(world, name, **kwargs)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None and len(mail.outbox) == 1


def test_home_shows_team_and_partners_to_administrators_only(world: World) -> None:
    url = reverse("municipality", kwargs={"slug": world.a.slug})
    assert team_url(world) in world.client_for(world.a_admin).get(url).content.decode()
    assert team_url(world) not in world.client_for(world.a_editor).get(url).content.decode()


# Password reset


def test_password_reset_link_uses_the_site_address_not_the_host_header(world: World, settings) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    world.a_viewer.email = "viewer@a.example"
    world.a_viewer.save()
    response = Client().post(reverse("password_reset"), {"email": "viewer@a.example"}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith(SITE + "/accounts/reset/")
    assert "evil.example" not in mail.outbox[0].body
