"""Writing observations. Who may do what is decided in observations.access; these only store."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from indicators.models import Indicator
from observations.models import Method, Observation
from tenants.models import AuditAction, Municipality, PartnerOrganisation, User
from tenants.services import record


@transaction.atomic
def create_observation(
    *,
    municipality: Municipality,
    partner: PartnerOrganisation | None,
    title: str,
    text: str,
    observed_on: datetime.date,
    method: Method | str,
    indicators: Iterable[Indicator],
    by: User,
) -> Observation:
    """An observation written by the municipality (``partner`` None) or by a partner organisation,
    whose name is kept on it for when the partnership has ended."""
    observation = Observation.objects.create(
        municipality=municipality,
        partner=partner,
        organisation_name=partner.name if partner is not None else municipality.name,
        author=by,
        title=title,
        text=text,
        observed_on=observed_on,
        method=method,
    )
    observation.indicators.set(indicators)
    return observation


@transaction.atomic
def update_observation(
    *,
    observation: Observation,
    title: str,
    text: str,
    observed_on: datetime.date,
    method: Method | str,
    indicators: Iterable[Indicator],
    by: User,
) -> Observation:
    observation.title = title
    observation.text = text
    observation.observed_on = observed_on
    observation.method = method
    observation.save(update_fields=["title", "text", "observed_on", "method", "updated_at"])
    observation.indicators.set(indicators)
    return observation


@transaction.atomic
def set_in_report(*, observation: Observation, in_report: bool, by: User) -> None:
    observation.in_report = in_report
    observation.save(update_fields=["in_report", "updated_at"])


@transaction.atomic
def delete_observation(*, observation: Observation, by: User) -> None:
    record(
        municipality=observation.municipality,
        by=by,
        action=AuditAction.OBSERVATION_DELETE,
        title=observation.title,
        organisation=observation.organisation_name,
    )
    observation.delete()
