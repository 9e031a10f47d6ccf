"""The shared tenant world for tests.

Municipality A has an administrator, an editor and a viewer; partner P is assigned some of A's
indicators; municipality B has its own administrator and must see nothing of A. Everything is
made through the same services the product uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.test import Client

from tenants.models import Municipality, PartnerKind, Partnership, Role, User
from tenants.services import add_member, assign_partner, ensure_user, set_own_indicators

PASSWORD = "a-long-test-password-1"
A_OWN = ["work", "housing", "links"]
P_INDICATORS = ["language-and-communication", "education"]


# Data migrations that seed reference data, as (module, function).
REFERENCE_DATA = [("indicators.migrations.0002_seed_framework", "seed")]


def reseed_reference_data() -> None:
    """Put the migrations' reference data back after a transactional test has flushed the database.

    The seed functions upsert by stable code, so running them on a full database changes nothing.
    """
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@dataclass
class World:
    a: Municipality
    b: Municipality
    a_admin: User
    a_editor: User
    a_viewer: User
    partner_user: User
    partnership: Partnership
    b_admin: User
    nobody: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    a = Municipality.objects.create(name="Gemeente A", slug="gemeente-a", vision="Samen verder.")
    b = Municipality.objects.create(name="Gemeente B", slug="gemeente-b", vision="Visie van B.")
    set_own_indicators(municipality=a, codes=A_OWN)
    users = {}
    for role in (Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER):
        users[role] = ensure_user(username=f"a-{role.value}", password=PASSWORD)
        add_member(municipality=a, user=users[role], role=role)
    partner_user = ensure_user(username="p-member", password=PASSWORD)
    partnership = assign_partner(
        municipality=a,
        partner_name="Partner P",
        kind=PartnerKind.LANGUAGE_SCHOOL,
        indicator_codes=P_INDICATORS,
        members=[partner_user],
    )
    b_admin = ensure_user(username="b-administrator", password=PASSWORD)
    add_member(municipality=b, user=b_admin, role=Role.ADMINISTRATOR)
    return World(
        a=a,
        b=b,
        a_admin=users[Role.ADMINISTRATOR],
        a_editor=users[Role.EDITOR],
        a_viewer=users[Role.VIEWER],
        partner_user=partner_user,
        partnership=partnership,
        b_admin=b_admin,
        nobody=ensure_user(username="nobody", password=PASSWORD),
    )
