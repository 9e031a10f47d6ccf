"""What a results request asks for: one typed, frozen object, parsed once from the query string.

``?channel=<channel id>``, ``?filter=<question code>:<option value>``, ``?by=<question code>`` (or
``by=channel``) and ``?compare=<wave id>`` (``compare=none`` for no comparison; without it, the
survey's previous wave). One filter and one breakdown at most, over fixed categories that include
"no answer". The indicators are clamped to what the person may see, so a partner cannot ask for more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import Http404, QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from indicators.models import Indicator
from surveys.models import Channel, Question, Survey
from surveys.scales import QuestionType, Section
from tenants.access import Access

CHANNEL = "channel"
NO_ANSWER = "_none"
NO_COMPARISON = "none"
NO_ANSWER_LABEL = gettext_lazy("no answer")
NO_CHANNEL_LABEL = gettext_lazy("no channel (direct link or invitation)")


class BadReportQuery(Exception):
    """A query string the results cannot answer: a 400 with this message, in the user's language."""

    status = 400


class RawAnswersDeleted(BadReportQuery):
    """Asked for the answers of a survey whose raw answers retention deleted: a 410."""

    status = 410


@dataclass(frozen=True)
class Dimension:
    """What respondents can be grouped by: a one-choice background question, or the channel.

    ``categories`` is fixed, "no answer" included, as (key, label); ``values`` maps what the
    database stores (an option value, a channel id) to the key.
    """

    code: str
    label: str
    question_id: int | None
    categories: tuple[tuple[str, str], ...]
    values: tuple[tuple[object, str], ...]

    @property
    def is_channel(self) -> bool:
        return self.question_id is None

    def key_for(self, stored: object) -> str:
        return dict(self.values).get(stored, NO_ANSWER)

    def label_for(self, key: str) -> str:
        return dict(self.categories).get(key, key)

    def stored_for(self, key: str) -> object:
        return next((stored for stored, k in self.values if k == key), None)


@dataclass(frozen=True)
class Filter:
    dimension: Dimension
    key: str

    @property
    def label(self) -> str:
        return f"{self.dimension.label}: {self.dimension.label_for(self.key)}"

    @property
    def param(self) -> tuple[str, str]:
        if self.dimension.is_channel:
            return CHANNEL, self.key
        return "filter", f"{self.dimension.code}:{self.key}"


@dataclass(frozen=True)
class ReportQuery:
    survey: Survey
    indicators: tuple[Indicator, ...]
    filter: Filter | None = None
    breakdown: Dimension | None = None
    compare: Survey | None = None
    # What this survey's respondents can be grouped by (``list_dimensions``), read once per request.
    dimensions: tuple[Dimension, ...] = ()

    @property
    def k(self) -> int:
        return self.survey.municipality.min_group_size

    def for_wave(self, wave: Survey) -> ReportQuery | None:
        """The same request on another wave: its questions and channels matched by code and name.
        None when that wave lacks the filter's or the breakdown's question or channel."""
        dimensions = list_dimensions(wave)
        breakdown = filter_ = None
        if self.breakdown is not None:
            breakdown = _same_dimension(self.breakdown, dimensions)
            if breakdown is None:
                return None
        if self.filter is not None:
            dimension = _same_dimension(self.filter.dimension, dimensions)
            label = self.filter.dimension.label_for(self.filter.key)
            key = self.filter.key if not self.filter.dimension.is_channel else _key_by_label(dimension, label)
            if dimension is None or key is None:
                return None
            filter_ = Filter(dimension, key)
        return ReportQuery(wave, self.indicators, filter_, breakdown, None, tuple(dimensions))

    def params(self, **changes: str | None) -> str:
        """This query as a query string, with some parameters changed (None removes one)."""
        values = QueryDict(mutable=True)
        if self.filter is not None:
            values.setlist(self.filter.param[0], [self.filter.param[1]])
        if self.breakdown is not None:
            values["by"] = self.breakdown.code
        values["compare"] = self.compare.public_id if self.compare is not None else NO_COMPARISON
        for name, value in changes.items():
            values.pop(name, None)
            if value is not None:
                values[name] = value
        return values.urlencode()


def _same_dimension(dimension: Dimension, others: list[Dimension]) -> Dimension | None:
    return next((other for other in others if other.code == dimension.code), None)


def _key_by_label(dimension: Dimension | None, label: str) -> str | None:
    if dimension is None:
        return None
    return next((key for key, other in dimension.categories if other == label), None)


def list_dimensions(survey: Survey) -> list[Dimension]:
    """The survey's one-choice background questions in questionnaire order, then its channels."""
    language = get_language() if get_language() in survey.languages else survey.base_language
    dimensions = []
    questions = survey.visible_questions().filter(section=Section.BACKGROUND, type=QuestionType.SINGLE)
    for question in questions:
        dimensions.append(_question_dimension(question, language))
    channels = list(survey.channels.order_by("created_at"))
    if channels:
        dimensions.append(_channel_dimension(channels))
    return dimensions


def _question_dimension(question: Question, language: str) -> Dimension:
    options = [(value, question.option_label(value, language) or value) for value in question.option_values()]
    return Dimension(
        code=question.code,
        label=question.text_in(language) or question.code,
        question_id=question.pk,
        categories=(*options, (NO_ANSWER, str(NO_ANSWER_LABEL))),
        values=tuple((value, value) for value, _label in options),
    )


def _channel_dimension(channels: list[Channel]) -> Dimension:
    return Dimension(
        code=CHANNEL,
        label=str(gettext_lazy("Channel")),
        question_id=None,
        categories=(*((channel.public_id, channel.name) for channel in channels), (NO_ANSWER, str(NO_CHANNEL_LABEL))),
        values=tuple((channel.pk, channel.public_id) for channel in channels),
    )


ALLOWED_PARAMETERS = {CHANNEL, "filter", "by", "compare", "show", "page", "lang"}


class ReportQueryForm(forms.Form):
    channel = forms.CharField(required=False, max_length=40)
    filter = forms.CharField(required=False, max_length=130)
    by = forms.CharField(required=False, max_length=60)
    compare = forms.CharField(required=False, max_length=40)


def parse_report_query(params: QueryDict, *, access: Access, survey: Survey) -> ReportQuery:
    """The request's query string as a ``ReportQuery``. Raises ``BadReportQuery`` (400) for values
    that make no sense here, and ``Http404`` for a comparison wave the person cannot reach."""
    unknown = sorted(set(params) - ALLOWED_PARAMETERS)
    if unknown:
        raise BadReportQuery(_("Unknown parameter: %(names)s.") % {"names": ", ".join(unknown)})
    if any(len(params.getlist(name)) > 1 for name in ("channel", "filter", "by", "compare")):
        raise BadReportQuery(_("Give each parameter once: one filter and one breakdown at most."))
    form = ReportQueryForm(params)
    if not form.is_valid():
        raise BadReportQuery(_("A parameter is too long."))
    data = form.cleaned_data
    available = tuple(list_dimensions(survey))
    dimensions = {dimension.code: dimension for dimension in available}
    filter_ = _parse_filter(data, dimensions)
    breakdown = None
    if data["by"]:
        breakdown = dimensions.get(data["by"])
        if breakdown is None:
            raise BadReportQuery(_("You can only break down by a one-choice background question or the channel."))
        if filter_ is not None and filter_.dimension.code == breakdown.code:
            raise BadReportQuery(_("Filter and breakdown must be about different questions."))
    survey_indicators = set(survey.indicators.values_list("pk", flat=True))
    indicators = tuple(indicator for indicator in access.indicators() if indicator.pk in survey_indicators)
    compare = _parse_compare(data["compare"], access, survey)
    return ReportQuery(survey, indicators, filter_, breakdown, compare, available)


def _parse_filter(data: dict, dimensions: dict[str, Dimension]) -> Filter | None:
    if data["channel"] and data["filter"]:
        raise BadReportQuery(_("Choose one filter at most: a channel or an answer, not both."))
    if data["channel"]:
        code, key = CHANNEL, data["channel"]
    elif data["filter"]:
        code, _sep, key = data["filter"].partition(":")
    else:
        return None
    dimension = dimensions.get(code)
    if dimension is None or key not in dict(dimension.categories) or key == NO_ANSWER:
        raise BadReportQuery(_("This filter does not exist in this survey."))
    return Filter(dimension, key)


def _parse_compare(value: str, access: Access, survey: Survey) -> Survey | None:
    if value == NO_COMPARISON:
        return None
    if not value:
        wave = survey.previous_wave
        if wave is None or wave.municipality_id != survey.municipality_id:
            return None
    else:
        wave = access.municipality.surveys.filter(public_id=value).exclude(pk=survey.pk).first()
        if wave is None:
            raise Http404("No such wave.")
    wave.municipality = access.municipality  # the same one, already read (its k applies)
    return wave
