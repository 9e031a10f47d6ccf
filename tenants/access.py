"""The one way to reach a municipality's data.

Every view that shows or changes tenant data starts with :func:`get_access`. A municipality the
user does not work for answers 404 (exactly like one that does not exist); a user who works for it
but with too little standing answers 403. Partners reach a municipality at the lowest level and see
only the indicators assigned to their organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from tenants.models import Membership, Municipality, PartnerAssignment, Partnership, Role


class Level(IntEnum):
    """How far a person may go in a municipality. Higher includes lower."""

    PARTNER = 1
    VIEWER = 2
    EDITOR = 3
    ADMINISTRATOR = 4


ROLE_LEVELS = {Role.VIEWER: Level.VIEWER, Role.EDITOR: Level.EDITOR, Role.ADMINISTRATOR: Level.ADMINISTRATOR}
LEVEL_LABELS = {
    Level.PARTNER: _("partner"),
    Level.VIEWER: Role.VIEWER.label,
    Level.EDITOR: Role.EDITOR.label,
    Level.ADMINISTRATOR: Role.ADMINISTRATOR.label,
}


@dataclass(frozen=True)
class Access:
    municipality: Municipality
    level: Level
    # Ids of the indicators a partner was assigned; None for municipality staff, who see all.
    partner_indicator_ids: frozenset[int] | None = None
    # Ids of the partner organisations through which a partner works here; empty for staff.
    partner_ids: frozenset[int] = frozenset()

    @property
    def is_partner(self) -> bool:
        return self.level == Level.PARTNER

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    def allows(self, need: Level) -> bool:
        return self.level >= need

    def sees_indicator(self, indicator: Indicator) -> bool:
        return self.partner_indicator_ids is None or indicator.pk in self.partner_indicator_ids

    def indicators(self) -> QuerySet[Indicator]:
        """The indicators this person may see in this municipality, in circle order."""
        indicators = Indicator.objects.in_circle_order()
        if self.partner_indicator_ids is not None:
            indicators = indicators.filter(pk__in=self.partner_indicator_ids)
        return indicators


def resolve_access(user, municipality: Municipality) -> Access | None:
    """The user's standing in ``municipality``, or None when they have none."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, municipality=municipality).first()
    if membership is not None:
        return Access(municipality, ROLE_LEVELS[Role(membership.role)])
    # What a partner may see is defined here once: the partnerships of the organisations the user
    # belongs to, their assigned indicators, and (surveys.access) those organisations' channels.
    partnerships = Partnership.objects.active().filter(municipality=municipality, partner__members__user=user)
    partner_ids = frozenset(partnerships.values_list("partner_id", flat=True))
    if not partner_ids:
        return None
    assigned = (
        PartnerAssignment.objects.current(municipality)
        .filter(partnership__partner_id__in=partner_ids)
        .values_list("indicator_id", flat=True)
    )
    return Access(municipality, Level.PARTNER, frozenset(assigned), partner_ids)


def get_access(request: HttpRequest, slug: str, *, need: Level = Level.PARTNER) -> Access:
    """Access to the municipality ``slug`` for ``request.user``: 404 if none, 403 if too little."""
    municipality = Municipality.objects.filter(slug=slug).first()
    access = resolve_access(request.user, municipality) if municipality is not None else None
    if access is None:
        raise Http404("No such municipality.")
    if not access.allows(need):
        raise PermissionDenied
    return access
