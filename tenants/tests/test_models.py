from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tenants.models import Municipality


@pytest.mark.django_db
def test_group_threshold_below_five_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError):
        Municipality.objects.create(name="X", slug="x", min_group_size=4)


@pytest.mark.django_db
def test_group_threshold_below_five_is_refused_by_validation() -> None:
    municipality = Municipality(name="X", slug="x", min_group_size=3)
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "min_group_size" in error.value.message_dict


@pytest.mark.parametrize("languages", [[], ["xx"], "nl"])
def test_unknown_or_no_survey_languages_are_refused(languages: object) -> None:
    with pytest.raises(ValidationError):
        Municipality(name="X", slug="x", survey_languages=languages).clean()


def test_default_threshold_is_ten() -> None:
    assert Municipality(name="X", slug="x").min_group_size == 10
