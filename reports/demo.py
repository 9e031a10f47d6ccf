"""Reference values for the demo survey (used by ``manage.py seed_demo``).

Illustrative numbers in the shape a Dutch officer would take from CBS StatLine: marked "demo" in
their source, since they are not the real published figures.
"""

from __future__ import annotations

from django.db import transaction

from indicators.models import Indicator
from reports.models import ReferenceValue
from surveys.models import Survey

# indicator code: (share of the wider population with a good experience, source, year)
DEMO_REFERENCES = {
    "work": (68.0, "Demo, after CBS StatLine: netto arbeidsparticipatie", 2025),
    "housing": (84.0, "Demo, after CBS StatLine: tevredenheid met de woning (WoON)", 2024),
    "health-and-social-care": (75.0, "Demo, after CBS StatLine: ervaren gezondheid goed of zeer goed", 2024),
    "bridges": (58.0, "Demo, after CBS StatLine: sociale samenhang in de buurt", 2024),
    "safety": (81.0, "Demo, after CBS StatLine: voelt zich veilig in de eigen buurt (Veiligheidsmonitor)", 2023),
}


@transaction.atomic
def load_demo_references(*, surveys: list[Survey]) -> None:
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=DEMO_REFERENCES)}
    for survey in surveys:
        for code, (percent, source, year) in DEMO_REFERENCES.items():
            ReferenceValue.objects.update_or_create(
                survey=survey, indicator=indicators[code], defaults={"percent": percent, "source": source, "year": year}
            )
