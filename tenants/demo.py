"""The demo's vision (two versions, so its history shows) and the partners' notes per indicator."""

from __future__ import annotations

from tenants.models import Municipality, Partnership, User
from tenants.services import save_vision, set_assignments

FIRST_VISION = "Nieuwkomers doen zo snel mogelijk mee: met werk, met de taal en in de buurt."

VISION = """Integratie is voor ons iets van de hele stad, niet alleen van nieuwkomers. We spreken van een goede start als iemand werk of een opleiding heeft die bij hem of haar past, een veilig thuis, mensen om op terug te vallen en de weg weet naar hulp.

Nieuwkomers en mensen die hier al lang wonen leren van elkaar. De gemeente zorgt voor kansen en haalt drempels weg; organisaties in de stad doen mee. We meten hoe nieuwkomers zelf hun situatie ervaren, en passen ons beleid daarop aan."""

VISION_ANSWERS = {
    "who": "Iedereen die nieuw is in Rivierstad: statushouders, arbeidsmigranten, gezinsmigranten en Oekraïners. Maar ook de buurten waar zij komen wonen.",
    "success": "Iemand heeft werk of een opleiding die past, een veilig en betaalbaar thuis, spreekt de taal genoeg voor het dagelijks leven en weet bij wie hij of zij terechtkan.",
    "society": "De stad verandert mee: werkgevers, scholen, verenigingen en buren maken ruimte en passen hun manier van werken aan.",
    "reciprocity": "Nieuwkomers brengen kennis, talen en ervaring mee; bewoners helpen de weg te vinden. Taalmaatjes en buurtprojecten zijn daar het begin van.",
}

NOTES = {
    "Taalschool Noord": {
        "education": "Begeleiding naar een mbo-opleiding en erkenning van diploma's.",
        "language-and-communication": "Taalles van A1 tot B1, vier dagdelen per week, en taalmaatjes.",
        "digital-skills": "Digi-café op dinsdag: DigiD, bankieren en de schoolapp.",
    },
    "Welzijn Rivierstad": {
        "leisure": "Sport- en kookavonden in drie buurthuizen.",
        "bonds": "Lotgenotengroepen voor vrouwen en voor jongeren.",
        "bridges": "Buurtmaatjes: een bewoner en een nieuwkomer trekken een half jaar samen op.",
        "safety": "Spreekuur over discriminatie en melden, samen met de wijkagent.",
    },
}


def load_demo_vision(*, municipality: Municipality, by: User) -> None:
    """Two versions the first time; later runs leave the history as it is."""
    if municipality.vision_versions.exists():
        return
    save_vision(municipality=municipality, statement=FIRST_VISION, answers={}, by=by)
    save_vision(municipality=municipality, statement=VISION, answers=VISION_ANSWERS, by=by)


def set_demo_notes(*, partnership: Partnership, by: User) -> None:
    notes = NOTES.get(partnership.partner.name, {})
    indicators = partnership.indicators.all()
    set_assignments(partnership=partnership, notes={ind: notes.get(ind.code, "") for ind in indicators}, by=by)
