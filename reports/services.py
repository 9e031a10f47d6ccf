"""Writes to what officers add to the results: reference values and quotes for the report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from reports.models import ReferenceValue, ReportQuote
from reports.queries import quote_questions
from surveys.models import Answer, ResponseStatus, Survey
from tenants.models import User

REFERENCE_FIELDS = ("percent", "source", "year")


@transaction.atomic
def save_references(*, survey: Survey, values: dict[Indicator, dict | None], by: User) -> None:
    """Set or clear (None) the reference value of each indicator given."""
    for indicator, value in values.items():
        if value is None:
            ReferenceValue.objects.filter(survey=survey, indicator=indicator).delete()
        else:
            ReferenceValue.objects.update_or_create(
                survey=survey, indicator=indicator, defaults={**value, "updated_by": by}
            )


@transaction.atomic
def copy_references(*, survey: Survey, by: User) -> int:
    """Take over the previous wave's reference values for indicators that have none yet."""
    previous = survey.previous_wave
    if previous is None or previous.municipality_id != survey.municipality_id:
        return 0
    have = set(survey.reference_values.values_list("indicator_id", flat=True))
    wanted = set(survey.indicators.values_list("pk", flat=True)) - have
    copies = [
        ReferenceValue(
            survey=survey, updated_by=by, indicator_id=reference.indicator_id,
            **{field: getattr(reference, field) for field in REFERENCE_FIELDS},
        )
        for reference in previous.reference_values.filter(indicator_id__in=wanted)
    ]  # fmt: skip
    ReferenceValue.objects.bulk_create(copies)
    return len(copies)


@transaction.atomic
def toggle_quote(*, survey: Survey, indicator: Indicator, answer_id: str, by: User) -> bool:
    """Mark a written answer on this indicator's page "for the report", or unmark it. Returns
    whether it is marked now. Only a completed respondent's written answer to a question of this
    survey that the indicator page shows can be marked."""
    answer = (
        Answer.objects.filter(
            pk=int(answer_id) if answer_id.isdigit() and len(answer_id) < 19 else 0,
            survey=survey,
            question__in=quote_questions(survey, indicator.pk),
            response__status=ResponseStatus.COMPLETED,
        )
        .exclude(text="")
        .first()
    )
    if answer is None:
        raise ValidationError(_("This answer cannot be marked here."))
    deleted, _rows = ReportQuote.objects.filter(answer=answer, indicator=indicator).delete()
    if deleted:
        return False
    ReportQuote.objects.create(survey=survey, answer=answer, indicator=indicator, marked_by=by)
    return True
