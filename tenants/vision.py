"""Reading the vision: the current version and its answers to the guiding questions."""

from __future__ import annotations

from tenants.forms import VISION_PROMPTS
from tenants.models import Municipality, VisionVersion


def current_version(municipality: Municipality, latest: VisionVersion | None) -> VisionVersion | None:
    """``latest`` (the newest version) when it is still the current vision.

    ``Municipality.vision`` holds the current statement; it can have been set without a version (the
    demo, the Django admin, a municipality created before versions were kept). Then the newest
    version's answers belong to an older statement and are not shown as the current ones.
    """
    if latest is None or latest.statement != municipality.vision:
        return None
    return latest


def answered_prompts(version: VisionVersion | None) -> list[tuple[str, str]]:
    """(prompt, answer) for each guiding question the version answers, in the prompts' order."""
    answers = version.answers if version is not None and isinstance(version.answers, dict) else {}
    return [(str(prompt), str(answers[key])) for key, prompt in VISION_PROMPTS.items() if answers.get(key)]
