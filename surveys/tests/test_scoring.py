from __future__ import annotations

import pytest

from surveys.models import Question
from surveys.scales import QuestionType


def make(question_type: str, *, reverse: bool = False) -> Question:
    return Question(type=question_type, reverse_scored=reverse)


@pytest.mark.parametrize(("value", "score"), [(1, 0.0), (2, 25.0), (3, 50.0), (4, 75.0), (5, 100.0)])
def test_five_point_scale_maps_to_0_100(value: int, score: float) -> None:
    for question_type in (QuestionType.AGREEMENT, QuestionType.SATISFACTION, QuestionType.FREQUENCY):
        assert make(question_type).score(value) == score


@pytest.mark.parametrize(("value", "score"), [(0, 0.0), (7, 70.0), (10, 100.0)])
def test_zero_to_ten_scale_maps_to_0_100(value: int, score: float) -> None:
    assert make(QuestionType.SCALE_10).score(value) == score


def test_reverse_worded_items_are_flipped() -> None:
    assert make(QuestionType.AGREEMENT, reverse=True).score(5) == 0.0
    assert make(QuestionType.AGREEMENT, reverse=True).score(2) == 75.0
    assert make(QuestionType.SCALE_10, reverse=True).score(3) == 70.0


def test_missing_answers_are_missing_not_zero() -> None:
    assert make(QuestionType.AGREEMENT).score(None) is None


@pytest.mark.parametrize("question_type", [QuestionType.SINGLE, QuestionType.NUMBER, QuestionType.LONG_TEXT])
def test_unscored_types_have_no_score(question_type: str) -> None:
    assert make(question_type).score(3) is None


@pytest.mark.parametrize(
    ("question_type", "value"), [(QuestionType.AGREEMENT, 0), (QuestionType.AGREEMENT, 6), (QuestionType.SCALE_10, 11)]
)
def test_values_off_the_scale_are_refused(question_type: str, value: int) -> None:
    with pytest.raises(ValueError):
        make(question_type).score(value)
