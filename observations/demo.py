"""The demo's observations: what the municipality and its partners saw beside the figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from indicators.models import Indicator
from observations.models import Method, Observation
from observations.services import create_observation, set_in_report
from tenants.models import Municipality, PartnerOrganisation, User

# (organisation: None for the municipality or a partner's name, title, text, days ago, method, indicators,
# in the report)
OBSERVATIONS = [
    (
        None,
        "Werkgevers vragen Nederlands op B1",
        "In gesprekken met twaalf werkgevers in de haven en de zorg hoorden we steeds hetzelfde: "
        "ze willen nieuwkomers aannemen, maar vragen Nederlands op B1. Wie nog op A2 zit, komt niet "
        "verder dan een proefplaats. Twee werkgevers willen een leerbaan met taalles op de werkvloer proberen.",
        12,
        Method.INTERVIEW,
        ["work", "language-and-communication"],
        True,
    ),
    (
        None,
        "Lange wachtlijst voor een sociale huurwoning",
        "Statushouders wonen gemiddeld elf maanden in een tijdelijke woning. Gezinnen vertellen dat "
        "de kinderen in die tijd twee keer van school wisselen.",
        45,
        Method.OBSERVATION,
        ["housing", "stability"],
        False,
    ),
    (
        "Taalschool Noord",
        "Weinig kansen om buiten de les te oefenen",
        "In de groepsgesprekken zeiden cursisten dat ze buiten de les bijna geen Nederlands spreken. "
        "Wie een taalmaatje heeft, durft meer en komt vaker in de les.",
        20,
        Method.GROUP_CONVERSATION,
        ["language-and-communication"],
        True,
    ),
    (
        "Welzijn Rivierstad",
        "Moeders met jonge kinderen komen moeilijk naar activiteiten",
        "Op de kookavonden zien we bijna geen moeders met kinderen onder de vier. Met oppas in het "
        "buurthuis kwamen er in drie weken negen nieuwe deelnemers.",
        60,
        Method.ACTION_RESEARCH,
        ["leisure", "bonds"],
        False,
    ),
]


def load_demo_observations(
    *, municipality: Municipality, officer: User, partner_members: dict[PartnerOrganisation, User]
) -> None:
    """Adds each observation once (by title); later runs leave them, and any edits, as they are."""
    partners = {partner.name: partner for partner in partner_members}
    existing = set(Observation.objects.filter(municipality=municipality).values_list("title", flat=True))
    today = timezone.localdate()
    for organisation, title, text, days_ago, method, codes, in_report in OBSERVATIONS:
        if title in existing:
            continue
        partner = partners[organisation] if organisation else None
        author = partner_members[partner] if partner else officer
        observation = create_observation(
            municipality=municipality,
            partner=partner,
            title=title,
            text=text,
            observed_on=today - timedelta(days=days_ago),
            method=method,
            indicators=Indicator.objects.filter(code__in=codes),
            by=author,
        )
        if in_report:
            set_in_report(observation=observation, in_report=True, by=officer)
