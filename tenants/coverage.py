"""The coverage map: who covers which indicator in a municipality, and where the blind spots are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from tenants.access import Access
from tenants.models import PartnerAssignment


class CoverageState(models.TextChoices):
    MUNICIPALITY = "municipality", _("the municipality only")
    PARTNERS = "partners", _("partners only")
    BOTH = "both", _("the municipality and partners")
    BLIND_SPOT = "blind_spot", _("blind spot: nobody")


@dataclass(frozen=True)
class PartnerCover:
    """A partner organisation working on an indicator, with what it does for it."""

    name: str
    note: str = ""


@dataclass
class CoverageRow:
    indicator: Indicator
    by_municipality: bool
    covers: list[PartnerCover] = field(default_factory=list)

    @property
    def partners(self) -> list[str]:
        return [cover.name for cover in self.covers]

    @property
    def is_blind_spot(self) -> bool:
        return not self.by_municipality and not self.covers

    @property
    def state(self) -> CoverageState:
        if self.by_municipality and self.covers:
            return CoverageState.BOTH
        if self.by_municipality:
            return CoverageState.MUNICIPALITY
        if self.covers:
            return CoverageState.PARTNERS
        return CoverageState.BLIND_SPOT


def coverage(access: Access) -> list[CoverageRow]:
    """One row per indicator the person may see, in circle order. Three queries, whatever the
    number of partners: only active partnerships count."""
    municipality = access.municipality
    own = set(municipality.own_indicators.values_list("pk", flat=True))
    covers: dict[int, list[PartnerCover]] = defaultdict(list)
    assignments = PartnerAssignment.objects.current(municipality)
    for indicator_id, partner_name, note in assignments.order_by("partnership__partner__name").values_list(
        "indicator_id", "partnership__partner__name", "note"
    ):
        covers[indicator_id].append(PartnerCover(partner_name, note))
    return [CoverageRow(indicator, indicator.pk in own, covers[indicator.pk]) for indicator in access.indicators()]
