"""Picking the right language version of text that is stored as data (one field per language)."""

from __future__ import annotations

from django.utils.translation import get_language


def pick(obj: object, field: str, *, fallback: str = "en") -> str:
    """Return ``obj.<field>_<active language>``, or the fallback language's text when that is empty."""
    language = (get_language() or fallback).split("-")[0]
    text = getattr(obj, f"{field}_{language}", "") or ""
    return text or getattr(obj, f"{field}_{fallback}", "")


# Languages a questionnaire can be offered in: code -> (name in that language, right-to-left).
# Newcomer pages are translated into all of these; the staff interface only into Dutch and English.
SURVEY_LANGUAGES: dict[str, tuple[str, bool]] = {
    "nl": ("Nederlands", False),
    "en": ("English", False),
    "ar": ("العربية", True),
    "uk": ("Українська", False),
    "ti": ("ትግርኛ", False),
    "fa": ("فارسی", True),
    "tr": ("Türkçe", False),
}


def survey_language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _rtl) in SURVEY_LANGUAGES.items()]
