from __future__ import annotations

import pytest
from django.core.management import call_command

from tenants.models import Membership, Municipality, PartnerOrganisation, Partnership, User


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Municipality, User, Membership, PartnerOrganisation, Partnership))


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert "rivierstad-administrator" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_covers_all_fourteen_indicators_with_two_partners() -> None:
    call_command("seed_demo")
    rivierstad = Municipality.objects.get(slug="rivierstad")
    covered = set(rivierstad.own_indicators.values_list("code", flat=True))
    for partnership in rivierstad.partnerships.all():
        covered |= set(partnership.indicators.values_list("code", flat=True))
    assert len(covered) == 14
    assert rivierstad.partnerships.count() == 2
    assert rivierstad.vision
