from __future__ import annotations

from itertools import groupby

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from indicators.models import Domain, Indicator

# The order of shared/framework.md.
FRAMEWORK_ORDER = [
    "Work", "Housing", "Education", "Health and Social Care", "Leisure",
    "Bonds", "Bridges", "Links",
    "Language and Communication", "Culture", "Digital Skills", "Safety", "Stability",
    "Rights and Responsibilities",
]  # fmt: skip


def relative_luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


@pytest.mark.django_db
def test_fourteen_indicators_in_framework_order() -> None:
    assert list(Indicator.objects.order_by("number").values_list("name_en", flat=True)) == FRAMEWORK_ORDER
    assert list(Indicator.objects.order_by("number").values_list("number", flat=True)) == list(range(1, 15))


@pytest.mark.django_db
def test_domains_hold_five_three_five_and_one() -> None:
    indicators = Indicator.objects.in_circle_order()
    sizes = [(domain.name_en, len(list(group))) for domain, group in groupby(indicators, key=lambda i: i.domain)]
    assert sizes == [("Markers and Means", 5), ("Social Connections", 3), ("Facilitators", 5), ("Foundation", 1)]


@pytest.mark.django_db
def test_every_text_is_there_in_dutch_and_english() -> None:
    for obj in [*Domain.objects.all(), *Indicator.objects.all()]:
        for field in ("name_en", "name_nl", "description_en", "description_nl"):
            assert getattr(obj, field).strip(), (obj.code, field)


@pytest.mark.django_db
def test_domain_colours_are_distinct_and_contrast_enough() -> None:
    colours = list(Domain.objects.values_list("colour", flat=True))
    assert len(set(colours)) == 4
    for colour in colours:
        # 4.5:1 lets white text sit on the colour, and the colour stand out on white.
        assert contrast_with_white(colour) >= 4.5, colour


@pytest.mark.django_db(transaction=True)
def test_seed_migration_reverses_and_reapplies() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("indicators", "0001_initial")])
    assert Indicator.objects.count() == 0 and Domain.objects.count() == 0
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Indicator.objects.count() == 14 and Domain.objects.count() == 4
