from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from integration_mapping.testing import World

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_switching_language_changes_the_interface(world: World) -> None:
    client = world.client_for(world.a_admin)
    home = reverse("municipality", kwargs={"slug": world.a.slug})
    client.post(reverse("set_language"), {"language": "en", "next": home})
    english = client.get(home).content.decode()
    assert "Who covers which indicator" in english and '<html lang="en"' in english
    client.post(reverse("set_language"), {"language": "nl", "next": home})
    dutch = client.get(home).content.decode()
    assert "Wie dekt welke indicator" in dutch and '<html lang="nl"' in dutch


def test_dutch_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


NEWCOMER_SOURCES = (
    "templates/surveys/respond/",
    "templates/reports/public_results.html",
    "templates/surveys/_poster_texts.html",
    "surveys/respond.py",
    "surveys/respond_views.py",
    "surveys/scales.py",
    "surveys/bank.py",
    "surveys/paper.py",
    "templates/surveys/paper.html",
)
NEWCOMER_LANGUAGES = ["ar", "uk", "ti", "fa", "tr"]


@pytest.mark.parametrize("language", NEWCOMER_LANGUAGES)
def test_newcomer_pages_are_fully_translated(language: str) -> None:
    """Every string on the questionnaire's pages (found by where it occurs) has a translation."""
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    newcomer = [e for e in catalogue if any(path.startswith(NEWCOMER_SOURCES) for path, _line in e.occurrences)]
    assert len(newcomer) > 100
    missing = [e.msgid for e in newcomer if not e.translated() or "fuzzy" in e.flags]
    assert missing == []
    assert catalogue.metadata["Language"] == language and "Plural-Forms" in catalogue.metadata


@pytest.mark.parametrize("language", ["nl", *NEWCOMER_LANGUAGES])
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled.gettext(key) == entry.msgstr, "run `make messages` to recompile"
