"""Scoped fetching of survey objects, built on ``tenants.access.get_access``.

Every survey view starts here: an object of another municipality answers 404, exactly like one
that does not exist; too little role answers 403.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from surveys.models import Channel, InvitationBatch, Question, Survey
from tenants.access import Access, Level, get_access


def get_survey(request: HttpRequest, slug: str, public_id: str, *, need: Level = Level.VIEWER) -> tuple[Access, Survey]:
    access = get_access(request, slug, need=need)
    survey = get_object_or_404(Survey, municipality=access.municipality, public_id=public_id)
    survey.municipality = access.municipality  # already read: spares every view a query
    return access, survey


def get_question(
    request: HttpRequest, slug: str, public_id: str, code: str, *, need: Level = Level.EDITOR
) -> tuple[Access, Survey, Question]:
    access, survey = get_survey(request, slug, public_id, need=need)
    return access, survey, get_object_or_404(Question, survey=survey, code=code)


def get_batch(
    request: HttpRequest, slug: str, public_id: str, batch_id: str, *, need: Level = Level.EDITOR
) -> tuple[Access, Survey, InvitationBatch]:
    access, survey = get_survey(request, slug, public_id, need=need)
    return access, survey, get_object_or_404(InvitationBatch, survey=survey, public_id=batch_id)


def partner_channels(access: Access):
    """The channels a partner may see: those of the organisations it works here through."""
    return Channel.objects.filter(
        survey__municipality=access.municipality, partner_id__in=access.partner_ids
    ).select_related("survey__municipality", "partner")


def get_channel(
    request: HttpRequest, slug: str, channel_id: str, *, need: Level = Level.PARTNER
) -> tuple[Access, Channel]:
    """A channel of the municipality; partners reach only their own organisation's channels."""
    access = get_access(request, slug, need=need)
    if access.is_partner:
        channel = partner_channels(access).filter(public_id=channel_id).first()
    else:
        channel = (
            Channel.objects.filter(survey__municipality=access.municipality, public_id=channel_id)
            .select_related("survey__municipality", "partner")
            .first()
        )
    if channel is None:
        raise Http404("No such channel.")
    return access, channel
