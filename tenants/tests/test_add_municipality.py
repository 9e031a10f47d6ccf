"""`manage.py add_municipality`: a fresh installation's first municipality and administrator."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tenants.models import Membership, Municipality, Role


@pytest.mark.django_db
def test_the_first_administrator_is_invited_and_can_set_a_password(capsys, settings) -> None:
    settings.SITE_URL = "https://integratie.example.nl"
    call_command("add_municipality", "Gemeente Zeestad", "--slug=zeestad", "--administrator=A.Visser@zeestad.nl")
    municipality = Municipality.objects.get(slug="zeestad")
    assert municipality.name == "Gemeente Zeestad"
    (message,) = mail.outbox
    assert message.to == ["a.visser@zeestad.nl"]
    link = re.search(r"https://integratie\.example\.nl(/\S+)", capsys.readouterr().out).group(1)
    assert link in message.body
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    accepted = client.post(
        link, {"first_name": "Anna", "password1": "een lang wachtwoord 42", "password2": "een lang wachtwoord 42"}
    )
    assert accepted.status_code == 302
    membership = Membership.objects.get(municipality=municipality)
    assert membership.role == Role.ADMINISTRATOR


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["X", "--slug=met spatie", "--administrator=a@b.nl"], "slug"),
        (["X", "--slug=x", "--administrator=geen-adres"], "e-mail"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("add_municipality", *arguments)
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_an_existing_short_name_is_refused() -> None:
    Municipality.objects.create(name="Zeestad", slug="zeestad")
    with pytest.raises(CommandError, match="exists already"):
        call_command("add_municipality", "Ander", "--slug=zeestad", "--administrator=a@b.nl")
    assert Municipality.objects.count() == 1


@pytest.mark.django_db
def test_a_mail_server_that_cannot_be_reached_stores_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("tenants.services.send_mail", refuse)
    with pytest.raises(CommandError, match=r"could not be sent.*EMAIL_"):
        call_command("add_municipality", "Zeestad", "--slug=zeestad", "--administrator=a@b.nl")
    assert not Municipality.objects.exists()
