"""The coverage map: who covers which indicator in a municipality, and where the blind spots are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from indicators.models import Indicator
from tenants.access import Access
from tenants.models import Partnership


@dataclass
class CoverageRow:
    indicator: Indicator
    by_municipality: bool
    partners: list[str] = field(default_factory=list)

    @property
    def is_blind_spot(self) -> bool:
        return not self.by_municipality and not self.partners


def coverage(access: Access) -> list[CoverageRow]:
    """One row per indicator the person may see, in circle order."""
    municipality = access.municipality
    own = set(municipality.own_indicators.values_list("pk", flat=True))
    partners_by_indicator: dict[int, list[str]] = defaultdict(list)
    assignments = Partnership.indicators.through.objects.filter(partnership__municipality=municipality)
    for indicator_id, partner_name in assignments.order_by("partnership__partner__name").values_list(
        "indicator_id", "partnership__partner__name"
    ):
        partners_by_indicator[indicator_id].append(partner_name)
    return [
        CoverageRow(indicator, indicator.pk in own, partners_by_indicator[indicator.pk])
        for indicator in access.indicators()
    ]
