from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from integration_mapping.testing import PASSWORD, World


def test_login_lands_on_the_municipality(world: World) -> None:
    client = world.client_for(None)
    response = client.post(reverse("login"), {"username": "a-administrator", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("municipality", kwargs={"slug": world.a.slug})


def test_wrong_password_is_refused_with_a_message(world: World) -> None:
    response = world.client_for(None).post(
        reverse("login"), {"username": "a-administrator", "password": "wrong"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(world: World) -> None:
    client = world.client_for(world.a_viewer)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_mails_a_working_link(world: World) -> None:
    world.a_viewer.email = "viewer@a.example"
    world.a_viewer.save()
    client = world.client_for(None)
    client.post(reverse("password_reset"), {"email": "viewer@a.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "a-brand-new-password-2"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    world.a_viewer.refresh_from_db()
    assert world.a_viewer.check_password(new_password)


def test_password_change(world: World) -> None:
    client = world.client_for(world.a_editor)
    new_password = "another-long-password-3"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    world.a_editor.refresh_from_db()
    assert world.a_editor.check_password(new_password)


# Password guessing. Limits are read from the settings so that the tests follow a change of them.
def failure_limit() -> int:
    return getattr(settings, "AXES_FAILURE_LIMIT", 5)


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def sign_in(client: Client, username: str, password: str, *, client_address: str = "192.0.2.1") -> HttpResponse:
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=client_address,
        headers={"accept-language": "en"},
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def page_without(response: HttpResponse, username: str) -> str:
    """The page with the username typed and its per-request parts (CSP nonces, CSRF tokens) blanked out."""
    content = re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode().replace(username, "USERNAME"))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)


def test_guessing_a_password_locks_the_account_and_says_to_wait(world: World) -> None:
    client = world.client_for(None)
    for _ in range(failure_limit()):
        sign_in(client, world.a_editor.username, "wrong")
    response = sign_in(client, world.a_editor.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert f"Try again in {cool_off_minutes()} minutes" in response.content.decode()
    assert response["Retry-After"] == str(cool_off_minutes() * 60)


def test_the_lock_is_in_the_users_language(world: World) -> None:
    client = world.client_for(None)
    for _ in range(failure_limit()):
        sign_in(client, world.a_editor.username, "wrong")
    response = client.post(
        reverse("login"), {"username": world.a_editor.username, "password": PASSWORD}, headers={"accept-language": "nl"}
    )
    assert response.status_code == 429
    assert f"Probeer het over {cool_off_minutes()} minuten opnieuw" in response.content.decode()


def test_a_locked_account_stays_locked_from_another_client(world: World) -> None:
    for number in range(failure_limit()):
        sign_in(world.client_for(None), world.a_editor.username, "wrong", client_address=f"192.0.2.{number + 1}")
    client = world.client_for(None)
    assert sign_in(client, world.a_editor.username, PASSWORD, client_address="198.51.100.7").status_code == 429
    assert not signed_in(client)


def test_an_unknown_username_gets_the_same_answers(world: World) -> None:
    """Every answer, up to and including the lock, is the same whether the account exists or not."""
    answers = {}
    for username, address in ((world.a_editor.username, "192.0.2.1"), ("no-such-user", "192.0.2.2")):
        client = world.client_for(None)
        answers[username] = [
            sign_in(client, username, "wrong", client_address=address) for _ in range(failure_limit() + 1)
        ]
    known, unknown = answers[world.a_editor.username], answers["no-such-user"]
    assert [response.status_code for response in known] == [response.status_code for response in unknown]
    assert known[-1].status_code == 429
    assert [page_without(response, world.a_editor.username) for response in known] == [
        page_without(response, "no-such-user") for response in unknown
    ]


def test_one_client_trying_many_usernames_is_stopped(world: World) -> None:
    client = world.client_for(None)
    for number in range(failure_limit()):
        sign_in(client, f"guess-{number}", "wrong", client_address="192.0.2.9")
    assert sign_in(client, world.a_viewer.username, PASSWORD, client_address="192.0.2.9").status_code == 429
    assert not signed_in(client)
    elsewhere = world.client_for(None)
    assert sign_in(elsewhere, world.a_viewer.username, PASSWORD, client_address="198.51.100.7").status_code == 302
    assert signed_in(elsewhere)


def test_an_administrator_can_lift_the_lock(world: World) -> None:
    client = world.client_for(None)
    for _ in range(failure_limit()):
        sign_in(client, world.a_editor.username, "wrong")
    call_command("axes_reset_username", world.a_editor.username, stdout=io.StringIO())
    assert sign_in(client, world.a_editor.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_failed_sign_ins_store_no_ip_address(world: World) -> None:
    from axes.models import AccessAttempt

    sign_in(world.client_for(None), world.a_editor.username, "wrong", client_address="192.0.2.44")
    stored = str(list(AccessAttempt.objects.values()))
    assert AccessAttempt.objects.count() == 1
    assert "192.0.2.44" not in stored and "csrfmiddlewaretoken=" not in stored.replace("*", "")


# Password reset: per e-mail address and per client, the same whether the address has an account.
def reset_limits() -> dict[str, int]:
    return getattr(settings, "PASSWORD_RESET_THROTTLE", {"email": 3, "client": 10})


def ask_reset(client: Client, email: str, *, client_address: str = "192.0.2.1") -> HttpResponse:
    return client.post(
        reverse("password_reset"), {"email": email}, REMOTE_ADDR=client_address, headers={"accept-language": "en"}
    )


@pytest.mark.parametrize("email", ["viewer@a.example", "nobody@a.example"])
def test_password_reset_is_throttled_per_address(world: World, email: str) -> None:
    world.a_viewer.email = "viewer@a.example"
    world.a_viewer.save()
    limit = reset_limits()["email"]
    for number in range(limit):
        assert ask_reset(world.client_for(None), email, client_address=f"192.0.2.{number + 1}").status_code == 302
    sent = len(mail.outbox)
    response = ask_reset(world.client_for(None), email, client_address="198.51.100.7")
    assert response.status_code == 429
    assert "Too many requests for a new password" in response.content.decode()
    assert len(mail.outbox) == sent


def test_password_reset_is_throttled_per_client(world: World) -> None:
    world.a_viewer.email = "viewer@a.example"
    world.a_viewer.save()
    client = world.client_for(None)
    for number in range(reset_limits()["client"]):
        assert ask_reset(client, f"someone-{number}@a.example").status_code == 302
    response = ask_reset(client, "viewer@a.example")
    assert response.status_code == 429
    assert "Too many requests for a new password" in response.content.decode()
    assert len(mail.outbox) == 0
