"""``{% interview_offer survey access as offer %}``: what the interview card offers (surveys.links)."""

from __future__ import annotations

from django import template

from surveys.links import interview_offer as offer_for
from surveys.models import Survey
from tenants.access import Access

register = template.Library()


@register.simple_tag
def interview_offer(survey: Survey, access: Access) -> dict | None:
    return offer_for(access, survey)
