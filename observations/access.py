"""Who may see, add and change observations: defined here once, used by every view and the results pages.

Municipality staff see all of the municipality's observations. A partner sees only those that speak
to at least one of its assigned indicators, and on those only the indicators it may see. Changing an
observation belongs to the organisation that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest

from indicators.models import Indicator
from observations.models import Observation
from tenants.access import Access, Level, get_access
from tenants.models import PartnerAssignment, PartnerOrganisation


def visible_observations(access: Access) -> QuerySet[Observation]:
    """The observations ``access`` may see, newest first, each with only the indicators it may see.

    ``observation.indicators.all()`` is prefetched (one query for any number of observations).
    """
    observations = Observation.objects.filter(municipality=access.municipality)
    if access.partner_indicator_ids is not None:
        speaks_to_own = Observation.indicators.through.objects.filter(
            observation=OuterRef("pk"), indicator_id__in=access.partner_indicator_ids
        )
        observations = observations.filter(Exists(speaks_to_own))
    return observations.prefetch_related(Prefetch("indicators", queryset=access.indicators()))


def report_observations(access: Access, indicators: Iterable[Indicator]) -> list[Observation]:
    """The visible observations chosen for the printed report that speak to one of ``indicators``."""
    on_indicators = Observation.indicators.through.objects.filter(
        observation=OuterRef("pk"), indicator__in=[indicator.pk for indicator in indicators]
    )
    return list(visible_observations(access).filter(Exists(on_indicators), in_report=True))


def get_observation(request: HttpRequest, slug: str, public_id: str, *, need: Level) -> tuple[Access, Observation]:
    """An observation ``request.user`` may see: 404 for one they may not see (or another municipality's)."""
    access = get_access(request, slug, need=need)
    observation = visible_observations(access).filter(public_id=public_id).first()
    if observation is None:
        raise Http404("No such observation.")
    return access, observation


def can_add(access: Access) -> bool:
    """Officers add observations on any indicator, partners on their own indicators; viewers read."""
    return access.is_partner or access.allows(Level.EDITOR)


def can_change(access: Access, observation: Observation) -> bool:
    """Only the organisation that wrote an observation edits or deletes it."""
    if observation.partner_id is None:
        return access.allows(Level.EDITOR)
    return observation.partner_id in access.partner_ids


def can_select_for_report(access: Access) -> bool:
    return access.allows(Level.EDITOR)


def writing_organisations(access: Access) -> list[PartnerOrganisation]:
    """The organisations a partner may write for here (empty for staff, who write for the municipality)."""
    return list(PartnerOrganisation.objects.filter(pk__in=access.partner_ids).order_by("name"))


def indicators_for(access: Access, partner_id: int | None) -> QuerySet[Indicator]:
    """The indicators an observation written for ``partner_id`` (None: the municipality) may speak to."""
    if partner_id is None:
        return Indicator.objects.in_circle_order()
    assigned = (
        PartnerAssignment.objects.current(access.municipality).filter(partnership__partner_id=partner_id)
    ).values("indicator_id")
    return access.indicators().filter(pk__in=assigned)
