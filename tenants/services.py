"""Writes that touch several tenant models at once."""

from __future__ import annotations

from django.db import transaction

from indicators.models import Indicator
from tenants.models import (
    AuditEvent,
    Membership,
    Municipality,
    PartnerKind,
    PartnerMembership,
    PartnerOrganisation,
    Partnership,
    Role,
    User,
)


def ensure_user(*, username: str, password: str, email: str = "", first_name: str = "") -> User:
    """Create the user, or reset the password of an existing one (used by the demo and the tests)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email, "first_name": first_name})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def add_member(*, municipality: Municipality, user: User, role: Role) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    return membership


@transaction.atomic
def set_own_indicators(*, municipality: Municipality, codes: list[str]) -> None:
    municipality.own_indicators.set(Indicator.objects.filter(code__in=codes))


@transaction.atomic
def assign_partner(
    *,
    municipality: Municipality,
    partner_name: str,
    kind: PartnerKind,
    indicator_codes: list[str],
    members: list[User] = (),
) -> Partnership:
    """Create or update a partner organisation, its partnership with the municipality and its members."""
    partner, _ = PartnerOrganisation.objects.update_or_create(name=partner_name, defaults={"kind": kind})
    partnership, _ = Partnership.objects.get_or_create(partner=partner, municipality=municipality)
    partnership.indicators.set(Indicator.objects.filter(code__in=indicator_codes))
    for user in members:
        PartnerMembership.objects.get_or_create(user=user, partner=partner)
    return partnership


def record(*, municipality: Municipality, by: User | None, action: str, **detail: object) -> AuditEvent:
    """Write one audit record. Call it inside the transaction of the act it records."""
    return AuditEvent.objects.create(municipality=municipality, actor=by, action=action, detail=detail)
