from __future__ import annotations

import re

from django.core import mail
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
