"""Writes to surveys that touch several rows or must be atomic. Keyword-only; tests use them too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from indicators.models import Indicator
from surveys import bank
from surveys.models import (
    Answer,
    BankQuestion,
    Channel,
    ChannelKind,
    IndicatorScore,
    Invitation,
    InvitationBatch,
    Question,
    QuestionEdit,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
    hash_token,
    new_token,
)
from surveys.scales import DONT_KNOW, NOT_APPLICABLE, QuestionType, Section
from tenants.models import AuditAction, Municipality, PartnerOrganisation, User
from tenants.services import record

MAX_BATCH = 10_000
COPIED_FIELDS = [
    "section",
    "indicator_id",
    "type",
    "text",
    "help",
    "options",
    "reverse_scored",
    "allow_dont_know",
    "allow_not_applicable",
    "min_value",
    "max_value",
]


def _group_filter(section: str, indicator_id: int | None) -> dict:
    return {"section": section, "indicator_id": indicator_id if section == Section.INDICATOR else None}


def _next_position(survey: Survey, section: str, indicator_id: int | None) -> int:
    last = survey.questions.filter(**_group_filter(section, indicator_id)).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _unique_code(survey: Survey, wanted: str) -> str:
    base = slugify(wanted)[:50] or "question"
    taken = set(survey.questions.filter(code__startswith=base).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def _touch_survey(survey_id: int) -> None:
    """A new version of the survey's questionnaire: the newcomer's pages are cached per
    ``updated_at`` (surveys.structure), so every change to its questions moves it on."""
    Survey.objects.filter(pk=survey_id).update(updated_at=timezone.now())


@transaction.atomic
def create_survey(
    *,
    municipality: Municipality,
    title: str,
    wave_label: str,
    base_language: str,
    languages: Sequence[str],
    indicators: Iterable[Indicator],
    add_suggested: bool = True,
    **settings: object,
) -> Survey:
    """A new draft survey; with ``add_suggested``, the bank's suggested questions for its indicators.

    The standard introduction and consent text come in every language, and the standard title too
    when ``title`` is empty: built from the bank, a survey needs no typing (``surveys.bank``).
    """
    survey = Survey(
        municipality=municipality,
        title={base_language: title} if title else {},
        wave_label=wave_label,
        base_language=base_language,
        languages=list(languages),
        **settings,
    )
    bank.fill_standard_texts(survey, title=not title)
    survey.full_clean()
    survey.save()
    survey.indicators.set(indicators)
    if add_suggested:
        chosen = set(survey.indicators.values_list("pk", flat=True))
        for bank_question in BankQuestion.objects.filter(suggested=True).order_by("position"):
            if bank_question.section != Section.INDICATOR or bank_question.indicator_id in chosen:
                add_bank_question(survey=survey, bank_question=bank_question)
    return survey


@transaction.atomic
def save_survey_settings(*, survey: Survey, editor: User | None, languages_before: Sequence[str]) -> None:
    """Save a survey's settings; in the languages just added, its bank questions and standard texts
    get the bank's texts (marked not checked by a native speaker)."""
    survey.save()
    if set(survey.languages) - set(languages_before):
        for question in bank.fill_languages(survey):
            save_question(question=question, editor=editor)


@transaction.atomic
def add_bank_question(*, survey: Survey, bank_question: BankQuestion) -> Question:
    """Copy a bank question into the survey, at the end of its page, with the bank's condition.

    A bank question may be meant only for some people (e.g. "my work fits what I can do" only for
    people with work). When the question it depends on is in the survey, the condition is set;
    when the question added is the one others depend on, it goes before them on their page and
    their conditions are set. ``missing_dependency`` tells the officer what is still missing.
    """
    if survey.questions.filter(bank_question=bank_question).exists():
        raise ValidationError(_("This question is already in the survey."))
    group = _group_filter(bank_question.section, bank_question.indicator_id)
    dependents = list(
        survey.questions.filter(
            hidden=False, condition_question=None, bank_question__condition_code=bank_question.code
        ).select_related("bank_question", "indicator")
    )
    position = _next_position(survey, bank_question.section, bank_question.indicator_id)
    same_page = [question.position for question in dependents if _on_page(question, group)]
    if same_page:
        position = min(same_page)
        survey.questions.filter(**group, position__gte=position).update(position=F("position") + 1)
        for question in dependents:
            if _on_page(question, group) and question.position >= position:
                question.position += 1
    question = Question(
        survey=survey,
        bank_question=bank_question,
        code=_unique_code(survey, bank_question.code),
        position=position,
        unchecked_languages=bank.unchecked(bank_question.text),
        **{field: getattr(bank_question, field) for field in COPIED_FIELDS},
    )
    if bank_question.condition_code:
        question.condition_question = (
            survey.questions.filter(hidden=False, bank_question__code=bank_question.condition_code)
            .select_related("indicator")
            .first()
        )
        if question.condition_question is not None:
            question.condition_values = _bank_condition_values(bank_question, question.condition_question)
    question.full_clean(exclude=["text"])  # the bank may lack the survey's base language; translate later
    question.save()
    for dependent in dependents:
        dependent.condition_question = question
        dependent.condition_values = _bank_condition_values(dependent.bank_question, question)
        if dependent.condition_error() is None:
            dependent.save(update_fields=["condition_question", "condition_values"])
    _touch_survey(survey.pk)
    return question


def _on_page(question: Question, group: dict) -> bool:
    return question.section == group["section"] and question.indicator_id == group["indicator_id"]


def _bank_condition_values(bank_question: BankQuestion, condition: Question) -> list[str]:
    """The bank's condition values that the survey's copy of the question still offers."""
    offered = set(condition.option_values())
    return [value for value in bank_question.condition_values if value in offered]


def missing_dependency(*, survey: Survey, bank_question: BankQuestion) -> BankQuestion | None:
    """The bank question that ``bank_question`` depends on, when the survey does not have it."""
    if not bank_question.condition_code:
        return None
    if survey.questions.filter(hidden=False, bank_question__code=bank_question.condition_code).exists():
        return None
    return BankQuestion.objects.filter(code=bank_question.condition_code).first()


def add_question(*, question: Question) -> Question:
    """Add an officer's own (unsaved) question to the end of its page."""
    survey = question.survey
    question.code = _unique_code(survey, question.text_in(survey.base_language) or "question")
    question.position = _next_position(survey, question.section, question.indicator_id)
    question.full_clean()
    with transaction.atomic():
        question.save()
        _touch_survey(survey.pk)
    return question


def add_own_question(*, survey: Survey, **fields: object) -> Question:
    return add_question(question=Question(survey=survey, **fields))


def frozen_changes(question: Question, before: Question) -> list[str]:
    """The meaning-giving fields an edit would change (compared with the stored ``before``)."""
    changed = [field for field in Question.FROZEN_FIELDS if getattr(question, field) != getattr(before, field)]
    if question.option_values() != before.option_values():
        changed.append("options")
    return changed


@transaction.atomic
def save_question(*, question: Question, editor: User | None) -> Question:
    """Save an edited question, refusing changes that would alter the meaning of stored answers.

    Text changes to a published survey's questions are recorded.
    """
    before = Question.objects.select_for_update().get(pk=question.pk)
    if before.is_answered and frozen_changes(question, before):
        raise ValidationError(
            _(
                "This question already has answers, so its type, scale, options and indicator cannot change: "
                "that would change the meaning of the answers already given. Add a new question instead."
            )
        )
    question.full_clean()
    question.save()
    _touch_survey(question.survey_id)
    if question.survey.status != SurveyStatus.DRAFT:
        for field in ("text", "help", "options"):
            if getattr(before, field) != getattr(question, field):
                QuestionEdit.objects.create(
                    question=question,
                    edited_by=editor,
                    field=field,
                    before=getattr(before, field),
                    after=getattr(question, field),
                )
    return question


@transaction.atomic
def remove_question(*, question: Question) -> str:
    """Delete a question, or hide it when it has answers. Returns "hidden" or "deleted"."""
    if question.dependent_questions.filter(hidden=False).exists():
        raise ValidationError(_("Other questions depend on this question. Remove their condition first."))
    _touch_survey(question.survey_id)
    if question.is_answered:
        question.hidden = True
        question.save(update_fields=["hidden"])
        return "hidden"
    question.delete()
    return "deleted"


@transaction.atomic
def move_question(*, question: Question, offset: int) -> None:
    """Move a question up (-1) or down (+1) within its page, keeping every condition valid."""
    group = list(
        question.survey.questions.filter(
            hidden=False, **_group_filter(question.section, question.indicator_id)
        ).order_by("position")
    )
    index = next(i for i, q in enumerate(group) if q.pk == question.pk)
    target = index + offset
    if not 0 <= target < len(group):
        return
    group[index], group[target] = group[target], group[index]
    # Only conditions between two questions of this page can change order.
    positions = {item.pk: position for position, item in enumerate(group, start=1)}
    for item in group:
        if positions.get(item.condition_question_id, 0) >= positions[item.pk]:
            raise ValidationError(_("This move would put a question before the question it depends on."))
        item.position = positions[item.pk]
    Question.objects.bulk_update(group, ["position"])
    _touch_survey(question.survey_id)


@transaction.atomic
def publish(*, survey: Survey, by: User | None = None) -> None:
    _open(survey)
    record(municipality=survey.municipality, by=by, action=AuditAction.PUBLISH, **_wave(survey))


def _open(survey: Survey) -> None:
    problems = survey.publication_problems()
    if problems:
        raise ValidationError(problems)
    survey.status = SurveyStatus.OPEN
    survey.published_at = survey.published_at or timezone.now()
    survey.closed_at = None
    survey.save(update_fields=["status", "published_at", "closed_at", "updated_at"])


def _wave(survey: Survey) -> dict[str, str]:
    return {"survey": survey.public_id, "wave": survey.wave_label}


@transaction.atomic
def close(*, survey: Survey, by: User | None = None) -> None:
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    record(municipality=survey.municipality, by=by, action=AuditAction.CLOSE, **_wave(survey))


@transaction.atomic
def reopen(*, survey: Survey, by: User | None = None) -> None:
    if survey.status != SurveyStatus.CLOSED:
        raise ValidationError(_("Only a closed survey can be reopened."))
    if survey.raw_deleted_at is not None:
        raise ValidationError(
            _("This survey's raw answers were deleted after its retention period: copy it as a new wave instead.")
        )
    _open(survey)
    record(municipality=survey.municipality, by=by, action=AuditAction.REOPEN, **_wave(survey))


@transaction.atomic
def copy_as_new_wave(*, survey: Survey, wave_label: str) -> Survey:
    """A new draft with the same questions (same codes, so the waves stay comparable) and channels."""
    copy = Survey.objects.get(pk=survey.pk)
    copy.pk = None
    copy.public_id = Survey._meta.get_field("public_id").default()
    copy.wave_label = wave_label
    copy.wave_labels = {}
    copy.status = SurveyStatus.DRAFT
    copy.published_at = None
    copy.closed_at = copy.raw_deleted_at = None
    copy.previous_wave = survey
    copy.full_clean()
    copy.save()
    copy.indicators.set(survey.indicators.all())
    mapping: dict[int, Question] = {}
    originals = list(survey.visible_questions().order_by("pk"))
    for original in originals:
        mapping[original.pk] = Question.objects.create(
            survey=copy,
            code=original.code,
            bank_question_id=original.bank_question_id,
            position=original.position,
            required=original.required,
            condition_values=original.condition_values,
            unchecked_languages=original.unchecked_languages,
            **{field: getattr(original, field) for field in COPIED_FIELDS},
        )
    for original in originals:
        if original.condition_question_id in mapping:
            new = mapping[original.pk]
            new.condition_question = mapping[original.condition_question_id]
            new.save(update_fields=["condition_question"])
    _touch_survey(copy.pk)
    for channel in survey.channels.filter(kind=ChannelKind.LINK):  # interview channels come when used
        create_channel(survey=copy, name=channel.name, partner=channel.partner)
    return copy


def create_channel(*, survey: Survey, name: str, partner: PartnerOrganisation | None = None) -> Channel:
    channel = Channel(survey=survey, name=name, partner=partner)
    channel.set_token()
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def create_invitations(
    *, survey: Survey, label: str, size: int, created_by: User | None
) -> tuple[InvitationBatch, list[str]]:
    """A batch of single-use links. Returns the tokens: the only time they exist in clear."""
    if not 1 <= size <= MAX_BATCH:
        raise ValidationError(_("Choose between 1 and %(max)s invitations.") % {"max": MAX_BATCH})
    batch = InvitationBatch.objects.create(survey=survey, label=label, size=size, created_by=created_by)
    tokens = [new_token() for _ in range(size)]
    Invitation.objects.bulk_create(
        [Invitation(batch=batch, token_hash=hash_token(token)) for token in tokens], batch_size=1000
    )
    return batch, tokens


# The newcomer's side ---------------------------------------------------------------------------


def start_response(
    *,
    survey: Survey,
    language: str,
    start_key: str,
    channel: Channel | None = None,
    invitation: Invitation | None = None,
) -> Response:
    """Start (or, for a repeated ``start_key`` or a used invitation, find) the response.

    The unique start key and the one-to-one invitation make the database refuse a second response
    for the same consent or the same personal link, also under concurrent requests.
    """
    if invitation is not None:
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey, language=language, start_key=start_key, channel=channel, invitation=invitation
            )
    except IntegrityError:
        lookup = {"invitation": invitation} if invitation is not None else {"start_key": start_key}
        return Response.objects.get(survey=survey, **lookup)


@transaction.atomic
def save_answers(*, response: Response, answers: dict[Question, object], step: int | None = None) -> None:
    """Replace the response's answers to ``answers``' questions with the given values.

    Values: an int (scale point or number), ``DONT_KNOW`` (don't know / rather not say),
    ``NOT_APPLICABLE`` (this does not apply to me), a str (option value or text), a list of option
    values, or None (not answered / not asked). ``DONT_KNOW`` and ``NOT_APPLICABLE`` are answers
    without a value or score: the scores count them as missing.
    """
    # One UPDATE checks the status, takes the row lock the final submit's UPDATE also needs (so no
    # answer is stored after it) and moves the furthest step on.
    furthest = F("step") if step is None else Greatest(F("step"), Value(step))
    if not Response.objects.filter(pk=response.pk, status=ResponseStatus.IN_PROGRESS).update(step=furthest):
        raise ValidationError(_("These answers have already been sent."))
    if step is not None and step > response.step:
        response.step = step
    if not answers:
        return
    # A plain DELETE, without Django reading the rows first to cascade: the only rows that point at
    # answers are report quotes, which quote completed responses only (reports.services), and this
    # one is in progress. Were there one, its foreign key would refuse the commit. Only table names
    # go into the SQL text; the values are parameters.
    question_ids = [question.pk for question in answers]
    table, placeholders = connection.ops.quote_name(Answer._meta.db_table), ", ".join(["%s"] * len(question_ids))
    delete = f"DELETE FROM {table} WHERE response_id = %s AND question_id IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(delete, [response.pk, *question_ids])
    rows = []
    for question, value in answers.items():
        rows.extend(answer_rows(response=response, question=question, value=value))
    Answer.objects.bulk_create(rows)


def answer_rows(*, response: Response, question: Question, value: object) -> list[Answer]:
    """The Answer rows that store ``value`` for ``question`` (none for a missing answer)."""
    keys = {
        "response": response,
        "survey_id": response.survey_id,
        "question": question,
        "indicator_id": question.indicator_id,
    }
    if value is None or value == "" or value == []:
        return []
    if value is DONT_KNOW:
        return [Answer(**keys, dont_know=True)]
    if value is NOT_APPLICABLE:
        return [Answer(**keys, not_applicable=True)]
    if question.is_scored:
        return [Answer(**keys, number=value, score=question.score(value))]
    if question.type == QuestionType.MULTIPLE:
        return [Answer(**keys, choice=choice) for choice in value]
    if question.type == QuestionType.SINGLE:
        return [Answer(**keys, choice=value)]
    if question.type == QuestionType.NUMBER:
        return [Answer(**keys, number=value)]
    return [Answer(**keys, text=value)]


def submit_response(*, response: Response, asked: set[int], stale: set[int] | None = None) -> bool:
    """Complete the response exactly once. Returns True for the one call that completed it.

    Answers to questions that were not asked (their condition does not hold) are removed first;
    a caller that knows which stored answers those are passes them as ``stale`` (an empty set
    saves the DELETE). The conditional UPDATE lets the database decide between double taps and
    concurrent submits.
    """
    with transaction.atomic():
        if stale is None or stale:
            Answer.objects.filter(response=response).exclude(question_id__in=asked).delete()
        completed = Response.objects.filter(pk=response.pk, status=ResponseStatus.IN_PROGRESS).update(
            status=ResponseStatus.COMPLETED, completed_at=timezone.now()
        )
        if completed == 1:
            store_indicator_scores(response=response)
    return completed == 1


def store_indicator_scores(*, response: Response) -> None:
    """The respondent's score per indicator, for the reports: the mean of their scored answers in it.

    "Don't know", skipped and unscored answers have no score, so they are left out of the mean,
    and an indicator without any scored answer gets no row (missing, never 0).
    """
    # One INSERT … SELECT: the means never leave the database (the final submit waits on each round
    # trip). Only table names go into the SQL text; the response is a parameter.
    scores, answers = (connection.ops.quote_name(model._meta.db_table) for model in (IndicatorScore, Answer))
    insert = (
        f"INSERT INTO {scores} (response_id, survey_id, indicator_id, score) "  # noqa: S608
        f"SELECT response_id, survey_id, indicator_id, AVG(score) FROM {answers} "
        "WHERE response_id = %s AND indicator_id IS NOT NULL AND score IS NOT NULL "
        "GROUP BY response_id, survey_id, indicator_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [response.pk])


@transaction.atomic
def delete_response(*, response: Response) -> None:
    """A respondent deletes their own answers (and the record that they answered), and with them
    their stored indicator scores, so the reports no longer count them."""
    IndicatorScore.objects.filter(response=response).delete()
    Answer.objects.filter(response=response).delete()
    Response.objects.filter(pk=response.pk).delete()


def interview_channel(*, survey: Survey, partner: PartnerOrganisation | None = None) -> Channel:
    """The channel of kind "interview / paper" through which the municipality's staff (``partner``
    None) or one partner organisation enter answers on a newcomer's behalf; made on first use.

    Found by kind and organisation, not by name: the name is written once, in the language of the
    person who made it. The unique name per survey keeps two simultaneous first uses to one channel;
    a link that already bears the name (an officer may have named one so) pushes it to a number.
    """
    wanted = Channel.objects.filter(survey=survey, kind=ChannelKind.INTERVIEW, partner=partner).order_by("created_at")
    existing = wanted.first()
    if existing is not None:
        return existing
    if partner is None:
        name = _("Interview / paper")
    else:
        name = _("Interview / paper – %(partner)s") % {"partner": partner.name}
    name = name[: Channel._meta.get_field("name").max_length - 5]
    for number in range(1, 100):
        candidate = name if number == 1 else f"{name} ({number})"
        channel = Channel(survey=survey, name=candidate, partner=partner, kind=ChannelKind.INTERVIEW)
        channel.set_token()
        try:
            with transaction.atomic():
                channel.save()
            return channel
        except IntegrityError:
            existing = wanted.first()
            if existing is not None:  # made by a simultaneous request
                return existing
    raise IntegrityError(f"No free name for an interview channel of survey {survey.pk}.")
