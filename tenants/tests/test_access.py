from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from integration_mapping.testing import P_INDICATORS, World
from surveys.access import partner_channels
from surveys.services import create_channel
from tenants.access import Level, get_access
from tenants.models import Municipality, PartnerKind, PartnerMembership, PartnerOrganisation


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_roles_map_to_levels(world: World) -> None:
    assert get_access(request_for(world.a_admin), world.a.slug).level == Level.ADMINISTRATOR
    assert get_access(request_for(world.a_editor), world.a.slug).level == Level.EDITOR
    assert get_access(request_for(world.a_viewer), world.a.slug).level == Level.VIEWER
    assert get_access(request_for(world.partner_user), world.a.slug).level == Level.PARTNER


def test_partner_sees_only_assigned_indicators(world: World) -> None:
    access = get_access(request_for(world.partner_user), world.a.slug)
    assert sorted(access.indicators().values_list("code", flat=True)) == sorted(P_INDICATORS)


def test_staff_see_all_fourteen_indicators(world: World) -> None:
    assert get_access(request_for(world.a_viewer), world.a.slug).indicators().count() == 14


def test_foreign_municipality_is_404_not_403(world: World) -> None:
    with pytest.raises(Http404):
        get_access(request_for(world.b_admin), world.a.slug, need=Level.PARTNER)


def test_partner_of_a_is_a_stranger_to_b(world: World) -> None:
    with pytest.raises(Http404):
        get_access(request_for(world.partner_user), world.b.slug)


def test_too_little_role_is_403(world: World) -> None:
    with pytest.raises(PermissionDenied):
        get_access(request_for(world.a_editor), world.a.slug, need=Level.ADMINISTRATOR)


def test_for_user_lists_only_own_municipalities(world: World) -> None:
    assert list(Municipality.objects.for_user(world.a_viewer)) == [world.a]
    assert list(Municipality.objects.for_user(world.partner_user)) == [world.a]
    assert list(Municipality.objects.for_user(world.b_admin)) == [world.b]
    assert list(Municipality.objects.for_user(world.nobody)) == []


def test_partner_sees_only_the_channels_of_organisations_that_work_with_this_municipality(world: World) -> None:
    """A partner member who also belongs to an organisation without a partnership here does not
    see that organisation's links: what a partner may see has one definition (resolve_access)."""
    other = PartnerOrganisation.objects.create(name="Elders actief", kind=PartnerKind.VOLUNTEER)
    PartnerMembership.objects.create(user=world.partner_user, partner=other)
    elsewhere = create_channel(survey=world.survey, name="via Elders", partner=other)
    access = get_access(request_for(world.partner_user), world.a.slug)
    assert access.partner_ids == {world.partnership.partner_id}
    assert list(partner_channels(access)) == [world.channel]
    assert elsewhere not in partner_channels(access)
