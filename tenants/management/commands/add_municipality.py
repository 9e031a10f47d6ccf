"""A new municipality with its first administrator: how a fresh installation gets its first user.

The administrator gets the same e-mail invitation as a colleague invited on the team page (a
single-use link, valid for 7 days, to choose a password); the link is also printed, for when
e-mail is not set up yet. Everything else (colleagues, partners, surveys) is done in the product.
"""

from __future__ import annotations

from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from tenants.models import Municipality, Role
from tenants.services import invite


class Command(BaseCommand):
    help = "Add a municipality and invite its first administrator by e-mail."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help='The municipality\'s name, e.g. "Gemeente Rivierstad".')
        parser.add_argument("--slug", required=True, help="Its short name in web addresses, e.g. rivierstad.")
        parser.add_argument("--administrator", required=True, metavar="EMAIL", help="The first administrator's e-mail.")

    def handle(self, *args, name: str, slug: str, administrator: str, **options) -> None:
        try:
            validate_slug(slug)
            validate_email(administrator)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if Municipality.objects.filter(slug=slug).exists():
            raise CommandError(f"A municipality with the short name {slug!r} exists already.")
        try:
            with transaction.atomic():
                municipality = Municipality.objects.create(name=name.strip(), slug=slug)
                _invitation, link = invite(
                    municipality=municipality, email=administrator, role=Role.ADMINISTRATOR, by=None
                )
        except (OSError, SMTPException) as error:
            raise CommandError(
                f"The invitation e-mail could not be sent ({type(error).__name__}: {error}). Nothing was stored: "
                "check the EMAIL_* settings and try again."
            ) from None
        self.stdout.write(f"{municipality.name} added.")
        if link:
            self.stdout.write(f"An invitation went to {administrator}. The link (single use, 7 days):\n  {link}")
        else:
            self.stdout.write(f"{administrator} has an account already and is now its administrator.")
