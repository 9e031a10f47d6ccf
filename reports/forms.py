from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from reports.models import FIRST_REFERENCE_YEAR, LAST_REFERENCE_YEAR, ReferenceValue
from surveys.models import Survey


class ReferenceForm(forms.Form):
    """Per indicator of the survey: the wider population's share with a good experience (%), its
    source and year. All three, or none to leave the indicator without a reference."""

    def __init__(self, *args: object, survey: Survey, indicators: list[Indicator], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        existing = {reference.indicator_id: reference for reference in survey.reference_values.all()}
        source_help = ReferenceValue._meta.get_field("source").help_text
        for indicator in indicators:
            reference = existing.get(indicator.pk)
            self.fields[f"{indicator.code}-percent"] = forms.FloatField(
                label=format_lazy("{}: {}", indicator.name, _("share with a good experience (%)")),
                min_value=0,
                max_value=100,
                required=False,
                initial=reference.percent if reference else None,
            )
            self.fields[f"{indicator.code}-source"] = forms.CharField(
                label=format_lazy("{}: {}", indicator.name, _("source")),
                max_length=200,
                required=False,
                help_text=source_help,
                initial=reference.source if reference else "",
            )
            self.fields[f"{indicator.code}-year"] = forms.IntegerField(
                label=format_lazy("{}: {}", indicator.name, _("year")),
                min_value=FIRST_REFERENCE_YEAR,
                max_value=LAST_REFERENCE_YEAR,
                required=False,
                initial=reference.year if reference else None,
            )

    def rows(self) -> list[tuple[Indicator, list[forms.BoundField]]]:
        return [
            (indicator, [self[f"{indicator.code}-{name}"] for name in ("percent", "source", "year")])
            for indicator in self.indicators
        ]

    def clean(self) -> dict:
        data = super().clean()
        for indicator in self.indicators:
            names = [f"{indicator.code}-{name}" for name in ("percent", "source", "year")]
            if any(name in self.errors for name in names):
                continue
            given = [data.get(name) not in (None, "") for name in names]
            if any(given) and not all(given):
                for name, present in zip(names, given, strict=True):
                    if not present:
                        self.add_error(name, _("Give the share, its source and its year together, or none of them."))
        return data

    def values(self) -> dict[Indicator, dict | None]:
        result: dict[Indicator, dict | None] = {}
        for indicator in self.indicators:
            percent = self.cleaned_data.get(f"{indicator.code}-percent")
            if percent is None:
                result[indicator] = None
            else:
                result[indicator] = {
                    "percent": percent,
                    "source": self.cleaned_data[f"{indicator.code}-source"].strip(),
                    "year": self.cleaned_data[f"{indicator.code}-year"],
                }
        return result
