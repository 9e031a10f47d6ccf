from __future__ import annotations

from django import template

from surveys.models import Survey
from surveys.paper import paper_languages as _paper_languages

register = template.Library()


@register.simple_tag
def paper_languages(survey: Survey) -> list[dict]:
    """``{% paper_languages survey as languages %}``: the links page's paper card, which has no view of its own."""
    return _paper_languages(survey)
