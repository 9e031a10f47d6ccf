"""Load the demo: a municipality with a vision, its staff, two partners, and a second municipality.

Idempotent: running it again updates the same rows and resets the demo passwords.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.urls import reverse

from observations.demo import load_demo_observations
from reports.demo import load_demo_references
from surveys.demo import load_demo_survey
from tenants.demo import load_demo_vision, set_demo_notes
from tenants.models import Municipality, PartnerKind, Role
from tenants.services import add_member, assign_partner, ensure_user, set_own_indicators

DEMO_PASSWORD = "demo-integration"
# Where `make run` serves; `make run PORT=8001` passes --base-url http://127.0.0.1:8001.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# Nobody covers "rights and responsibilities" and "culture": the coverage map shows them as blind spots.
OWN_INDICATORS = ["work", "housing", "health-and-social-care", "links", "stability"]
PARTNERS = [
    (
        "Taalschool Noord",
        PartnerKind.LANGUAGE_SCHOOL,
        ["education", "language-and-communication", "digital-skills"],
        "taalschool",
    ),
    ("Welzijn Rivierstad", PartnerKind.WELFARE, ["leisure", "bonds", "bridges", "safety"], "welzijn"),
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo municipalities, partners and logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--responses", type=int, default=320, help="Completed demo responses (default 320).")
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"The address the demo is served on, for the links it prints (default {DEFAULT_BASE_URL}).",
        )

    # The logins it prints are for developers: in English, like the rest of its output.
    @no_translations
    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        base = str(options["base_url"]).rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must start with http:// or https://, not {options['base_url']!r}.")
        rivierstad, _ = Municipality.objects.update_or_create(
            slug="rivierstad",
            defaults={"name": "Gemeente Rivierstad", "survey_languages": ["nl", "en", "ar"]},
        )
        set_own_indicators(municipality=rivierstad, codes=OWN_INDICATORS)
        logins = []
        staff = {}
        for role in (Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER):
            username = f"rivierstad-{role.value}"
            staff[role] = ensure_user(username=username, password=DEMO_PASSWORD)
            add_member(municipality=rivierstad, user=staff[role], role=role)
            logins.append((username, f"{role.label} – Gemeente Rivierstad"))
        load_demo_vision(municipality=rivierstad, by=staff[Role.ADMINISTRATOR])
        partner_members = {}
        for name, kind, codes, username in PARTNERS:
            member = ensure_user(username=username, password=DEMO_PASSWORD)
            partnership = assign_partner(
                municipality=rivierstad, partner_name=name, kind=kind, indicator_codes=codes, members=[member]
            )
            set_demo_notes(partnership=partnership, by=staff[Role.ADMINISTRATOR])
            partner_members[partnership.partner] = member
            logins.append((username, f"partner – {name}"))
        load_demo_observations(municipality=rivierstad, officer=staff[Role.EDITOR], partner_members=partner_members)

        survey = load_demo_survey(municipality=rivierstad, responses=options["responses"])
        load_demo_references(surveys=[survey, *([survey.previous_wave] if survey.previous_wave else [])])

        heuvelland, _ = Municipality.objects.update_or_create(
            slug="heuvelland", defaults={"name": "Gemeente Heuvelland", "vision": "Samen leven, samen werken."}
        )
        add_member(
            municipality=heuvelland,
            user=ensure_user(username="heuvelland-admin", password=DEMO_PASSWORD),
            role=Role.ADMINISTRATOR,
        )
        logins.append(
            ("heuvelland-admin", f"{Role.ADMINISTRATOR.label} – Gemeente Heuvelland (sees nothing of Rivierstad)")
        )

        self.stdout.write(self.style.SUCCESS(f"Demo loaded. Sign in at {base}/ with:"))
        width = max(len(username) for username, _ in logins)
        for username, what in logins:
            self.stdout.write(f"  {username.ljust(width)}  password: {DEMO_PASSWORD}   ({what})")
        completed = survey.responses.filter(status="completed").count()
        self.stdout.write(
            f"Published demo survey: {survey.display_title} ({survey.wave_label}), {completed} responses."
        )
        for channel in survey.channels.all():
            self.stdout.write(f"  Newcomer link {channel.name}: {base}/s/{channel.token}/")
        results = reverse("results", args=[rivierstad.slug, survey.public_id])
        self.stdout.write(f"  Its results (sign in first): {base}{results}")
        previous = survey.previous_wave
        if previous is not None:
            completed = previous.responses.filter(status="completed").count()
            self.stdout.write(
                f"Closed previous wave: {previous.wave_label}, {completed} responses. Its public results: "
                f"{base}{reverse('public_results', args=[previous.public_id])}"
            )
