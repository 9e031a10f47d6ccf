"""Questionnaires (surveys, one per wave), their questions, links, invitations and responses.

Texts written by officers are data, stored per language as ``{"nl": "...", "en": "..."}``.
Once a survey has answers, nothing that gives them meaning changes destructively: see
``Question.FROZEN_FIELDS`` and ``surveys.services``.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from integration_mapping.languages import SURVEY_LANGUAGES, survey_language_choices
from integration_mapping.tokens import TOKEN_BYTES, hash_token, new_public_id, new_token
from surveys.scales import CHOICE, FIVE_POINT, SCORED, TEXT, QuestionType, Section
from tenants.models import Municipality, PartnerOrganisation

SECONDS_PER_QUESTION = 20  # reading and answering one question, on a phone, at language level A2


def texts_in(values: dict, language: str) -> str:
    return (values or {}).get(language, "").strip() if isinstance(values, dict) else ""


class QuestionContent(models.Model):
    """What a question asks and how it is answered; shared by the bank and by survey questions."""

    section = models.CharField(_("section"), max_length=20, choices=Section.choices, default=Section.INDICATOR)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("indicator")
    )
    type = models.CharField(_("type of answer"), max_length=20, choices=QuestionType.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("explanation"), default=dict, blank=True)
    # Choice questions: [{"value": "yes", "label": {"nl": "Ja", "en": "Yes"}}, ...]
    options = models.JSONField(_("options"), default=list, blank=True)
    reverse_scored = models.BooleanField(
        _("reverse scoring"),
        default=False,
        help_text=_("Agreeing is the negative experience, e.g. 'I often feel alone'."),
    )
    allow_dont_know = models.BooleanField(_("'don't know / rather not say' allowed"), default=True)
    allow_not_applicable = models.BooleanField(
        _("'does not apply to me' allowed"),
        default=False,
        help_text=_("For questions that are not about everyone, e.g. 'my diplomas count here'. Counts as missing."),
    )
    min_value = models.IntegerField(_("lowest number"), null=True, blank=True)
    max_value = models.IntegerField(_("highest number"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE

    @property
    def is_text(self) -> bool:
        return self.type in TEXT

    def text_in(self, language: str) -> str:
        return texts_in(self.text, language)

    def option_values(self) -> list[str]:
        return [option["value"] for option in self.options or []]

    def option_label(self, value: str, language: str) -> str:
        for option in self.options or []:
            if option["value"] == value:
                return texts_in(option.get("label", {}), language)
        return value


SECTION_ORDER = [Section.INDICATOR, Section.BACKGROUND, Section.OPEN]


class BankQuestion(QuestionContent):
    """A question from the seeded question bank. Reference data: not owned by any municipality."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    suggested = models.BooleanField(
        _("suggested"), default=False, help_text=_("Added by default when an officer picks this indicator.")
    )
    # Ask this question only when the bank question with this code is in the survey and answered
    # with one of ``condition_values``; applied whenever both are in a survey (see services).
    condition_code = models.SlugField(_("only ask when the answer to (code)"), max_length=60, blank=True)
    condition_values = models.JSONField(_("is one of"), default=list, blank=True)

    class Meta:
        ordering = ["section", "indicator__number", "position"]
        verbose_name = _("question from the bank")
        verbose_name_plural = _("question bank")

    def __str__(self) -> str:
        return self.code


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class SurveyState(models.TextChoices):
    """What newcomers get now: the stored status together with the opening and closing dates."""

    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


@dataclass(frozen=True)
class StateNow:
    state: SurveyState
    # The opening date (scheduled) or the day it closed (closed), when known.
    day: date | None = None

    def __str__(self) -> str:
        if self.state == SurveyState.SCHEDULED and self.day:
            return str(_("scheduled, opens on %(date)s")) % {"date": date_format(self.day)}
        if self.state == SurveyState.CLOSED and self.day:
            return str(_("closed on %(date)s")) % {"date": date_format(self.day)}
        return str(self.state.label)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it has fewer days."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SurveyQuerySet(models.QuerySet["Survey"]):
    def published(self) -> SurveyQuerySet:
        """Every wave that was ever published (open, scheduled or closed), the latest first."""
        return self.filter(published_at__isnull=False).order_by("-published_at", "-pk")


class Survey(models.Model):
    """One wave of a municipality's questionnaire, e.g. "Voorjaar 2027"."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("municipality")
    )
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    title = models.JSONField(_("title"), default=dict)
    wave_label = models.CharField(_("wave"), max_length=80, help_text=_("For example: Spring 2027."))
    # The wave label in the other survey languages, where the officer gave one.
    wave_labels = models.JSONField(_("wave in other languages"), default=dict, blank=True)
    base_language = models.CharField(_("base language"), max_length=8, choices=survey_language_choices(), default="nl")
    languages = models.JSONField(_("languages"), default=list)
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    consent = models.JSONField(_("consent text"), default=dict, blank=True)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep raw answers for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this, individual answers are deleted; the aggregated results stay."),
    )
    results_public = models.BooleanField(_("results are public"), default=False)
    # Languages whose title, introduction and consent are the product's standard texts, not yet
    # checked by a native speaker (see surveys.bank).
    unchecked_languages = models.JSONField(_("standard texts not checked in"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indicators"))
    previous_wave = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous wave")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When retention deleted the raw answers, after freezing the results (reports.retention).
    raw_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.wave_label})"

    @property
    def display_title(self) -> str:
        return texts_in(self.title, self.base_language) or str(_("Untitled survey"))

    def title_in(self, language: str) -> str:
        return texts_in(self.title, language) or self.display_title

    def wave_label_in(self, language: str) -> str:
        """The wave's name in ``language``, where the officer gave one ("" when not)."""
        return texts_in(self.wave_labels, language) or (self.wave_label if language == self.base_language else "")

    @property
    def rtl_languages(self) -> list[str]:
        return [code for code in self.languages if SURVEY_LANGUAGES.get(code, ("", False))[1]]

    @property
    def has_responses(self) -> bool:
        # Frozen results give the questions their meaning as stored answers did (reports.retention).
        return self.raw_deleted_at is not None or self.responses.exists()

    def accepts_responses(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.status != SurveyStatus.OPEN or self.raw_deleted_at is not None:
            return False
        return (self.opens_on is None or self.opens_on <= today) and (self.closes_on is None or today <= self.closes_on)

    def has_closed(self, today: date | None = None) -> bool:
        """Whether no more answers can come: closed by an officer, or past its closing date."""
        today = today or timezone.localdate()
        return self.status == SurveyStatus.CLOSED or (self.closes_on is not None and self.closes_on < today)

    def state(self, today: date | None = None) -> StateNow:
        """What newcomers get on ``today``: not open yet, open, or closed (and since when)."""
        today = today or timezone.localdate()
        if self.status == SurveyStatus.DRAFT:
            return StateNow(SurveyState.DRAFT)
        if self.has_closed(today):
            days = [self.closes_on] if self.closes_on and self.closes_on < today else []
            if self.status == SurveyStatus.CLOSED and self.closed_at:
                days.append(timezone.localdate(self.closed_at))
            return StateNow(SurveyState.CLOSED, min(days, default=None))
        if self.opens_on and today < self.opens_on:
            return StateNow(SurveyState.SCHEDULED, self.opens_on)
        return StateNow(SurveyState.OPEN)

    def answer_period(self, today: date | None = None) -> tuple[date | None, date | None]:
        """The days newcomers could answer, as far as known: from the opening date (or the day
        it was published) to the closing date (or the day it was closed, when that came first)."""
        start = self.opens_on or (timezone.localdate(self.published_at) if self.published_at else None)
        now = self.state(today)
        return start, now.day if now.state == SurveyState.CLOSED and now.day else self.closes_on

    def raw_answers_due(self) -> date | None:
        """The first day retention may delete the raw answers: ``retention_months`` after the survey
        closed. None while it has not closed (an open survey keeps its answers, whatever its age)."""
        now = self.state()
        if now.state != SurveyState.CLOSED:
            return None
        closed = now.day or (timezone.localdate(self.closed_at) if self.closed_at else None) or self.closes_on
        return add_months(closed, self.retention_months) if closed else None

    @cached_property
    def state_now(self) -> StateNow:
        """``state()`` for today, for templates: ``status-{{ survey.state_now.state }}``."""
        return self.state()

    def shows_public_results(self, today: date | None = None) -> bool:
        """Public figures only once no more answers can come. While a survey is open, someone who
        looks just before and just after one person answers could work out that person's answers
        from the change."""
        return self.results_public and self.status != SurveyStatus.DRAFT and self.has_closed(today)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [code for code in self.languages or [] if code not in SURVEY_LANGUAGES]
        if not self.languages or unknown:
            errors["languages"] = _("Choose one or more of the offered languages.")
        elif self.base_language not in self.languages:
            errors["base_language"] = _("The base language must be one of the survey's languages.")
        if not texts_in(self.title, self.base_language):
            errors["title"] = _("Give the survey a title in its base language.")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The closing date cannot be before the opening date.")
        if errors:
            raise ValidationError(errors)

    def visible_questions(self) -> models.QuerySet[Question]:
        return self.questions.filter(hidden=False).select_related("indicator").order_by("position")

    def numbered_questions(self) -> list[Question]:
        """The questions newcomers get, in questionnaire order (the order of
        ``surveys.respond.group_into_pages``): indicator pages around the circle, then background,
        then open. A question's number everywhere (builder, texts, translations, publication, preview)
        is its place in this list, counted from 1."""
        on_a_page = ~Q(section=Section.INDICATOR) | Q(indicator__in=self.indicators.all())
        return sorted(self.visible_questions().filter(on_a_page), key=lambda question: question.order_key)

    def minutes_to_answer(self) -> int:
        """About how long answering takes, for the poster: whole minutes, rounded up, at least 2
        (so no language needs the singular "minute")."""
        return max(2, math.ceil(len(self.numbered_questions()) * SECONDS_PER_QUESTION / 60))

    def missing_translations(self) -> dict[str, list[str]]:
        """For every survey language: the texts that are still empty, described for the officer."""
        questions = self.numbered_questions()
        missing: dict[str, list[str]] = {}
        for language in self.languages:
            gaps = []
            if not texts_in(self.title, language):
                gaps.append(str(_("survey title")))
            if texts_in(self.introduction, self.base_language) and not texts_in(self.introduction, language):
                gaps.append(str(_("introduction")))
            if texts_in(self.consent, self.base_language) and not texts_in(self.consent, language):
                gaps.append(str(_("consent text")))
            for number, question in enumerate(questions, start=1):
                gaps.extend(f"{_('question')} {number}: {gap}" for gap in question.missing_texts(language))
            missing[language] = gaps
        return missing

    def publication_problems(self) -> list[str]:
        """Why the survey cannot be published yet; empty when it can."""
        problems = []
        if not self.visible_questions().exists():
            problems.append(str(_("The survey has no questions.")))
        for language, gaps in self.missing_translations().items():
            if gaps:
                name = SURVEY_LANGUAGES[language][0]
                problems.append(
                    str(_("%(language)s is not complete: %(gaps)s.")) % {"language": name, "gaps": "; ".join(gaps)}
                )
        return problems


class Question(QuestionContent):
    """A question in one survey: a copy of a bank question, or the officer's own."""

    # Changing these would change the meaning of stored answers.
    FROZEN_FIELDS = ("section", "indicator_id", "type", "reverse_scored", "min_value", "max_value")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    code = models.SlugField(_("code"), max_length=60)
    bank_question = models.ForeignKey(
        BankQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the bank"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    required = models.BooleanField(_("answer required"), default=False)
    hidden = models.BooleanField(_("removed"), default=False)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name=_("only ask when the answer to"),
    )
    condition_values = models.JSONField(_("is one of"), default=list, blank=True)
    # Languages whose texts came from the bank and no native speaker has checked yet (surveys.bank).
    unchecked_languages = models.JSONField(_("bank texts not checked in"), default=list, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="question_code_unique_in_survey"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="question_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=~Q(condition_question=models.F("id")), name="question_condition_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.text_in(self.survey.base_language) if self.survey_id else self.code

    @property
    def is_answered(self) -> bool:
        return self.answers.exists()

    @property
    def order_key(self) -> tuple[int, int, int]:
        """Place in the questionnaire: indicator pages in circle order, then background, then open."""
        section_rank = SECTION_ORDER.index(self.section)
        return (section_rank, self.indicator.number if self.indicator_id else 0, self.position)

    def score(self, value: int | float | None) -> float | None:
        """The answer on the 0-100 scale where 100 is the most positive experience.

        None for unscored types and for missing answers ("don't know", skipped, not asked):
        those are left out of means, never counted as 0.
        """
        if value is None or not self.is_scored:
            return None
        if self.type in FIVE_POINT:
            if not 1 <= value <= 5:
                raise ValueError(f"{value} is not on a 5-point scale")
            result = (value - 1) / 4 * 100
        else:
            if not 0 <= value <= 10:
                raise ValueError(f"{value} is not on a 0-10 scale")
            result = value * 10
        return 100 - result if self.reverse_scored else float(result)

    def missing_texts(self, language: str) -> list[str]:
        base = self.survey.base_language
        gaps = []
        if not self.text_in(language):
            gaps.append(str(_("text")))
        if texts_in(self.help, base) and not texts_in(self.help, language):
            gaps.append(str(_("explanation")))
        if self.is_choice and any(not texts_in(option.get("label", {}), language) for option in self.options):
            gaps.append(str(_("options")))
        return gaps

    def clean(self) -> None:
        errors: dict[str, str] = {}
        base = self.survey.base_language
        if not self.text_in(base):
            errors["text"] = _("Write the question in the base language.")
        if self.is_choice and len(self.options or []) < 2:
            errors["options"] = _("A choice question needs at least two options.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The highest number cannot be below the lowest number.")
        if self.section == Section.INDICATOR and self.indicator_id is None:
            errors["indicator"] = _("Choose the indicator this question belongs to.")
        if self.condition_question_id is not None:
            error = self.condition_error()
            if error:
                errors["condition_question"] = error
        if errors:
            raise ValidationError(errors)

    def condition_error(self) -> str | None:
        """Why the condition is not allowed, or None when it is."""
        condition = self.condition_question
        if condition.pk == self.pk:
            return _("A question cannot depend on itself.")
        if condition.survey_id != self.survey_id:
            return _("The condition must be a question of this survey.")
        if condition.order_key >= self.order_key:
            return _("A question can only depend on an earlier question.")
        if condition.type != QuestionType.SINGLE:
            return _("A question can only depend on a one-choice question.")
        if not self.condition_values or not set(self.condition_values) <= set(condition.option_values()):
            return _("Choose one or more answers of that question.")
        return None

    def condition_holds(self, answers: dict[int, object]) -> bool:
        """Whether this question is asked, given the answers so far (question id -> value)."""
        if self.condition_question_id is None:
            return True
        return answers.get(self.condition_question_id) in set(self.condition_values)


class QuestionEdit(models.Model):
    """A record of a text change to a question of a published survey."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=20)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-edited_at"]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.field} ({self.edited_at:%Y-%m-%d})"


class ChannelKind(models.TextChoices):
    LINK = "link", _("link")
    # Answers a signed-in officer or partner member enters on behalf of a newcomer, in an interview
    # or from a paper form. Its link opens nothing for anyone else; no interviewer's name is kept.
    INTERVIEW = "interview", _("interview / paper")


class Channel(models.Model):
    """A public, anonymous link to a survey, one per way of distributing it (e.g. a language school)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="channels", verbose_name=_("survey"))
    name = models.CharField(_("channel name"), max_length=100, help_text=_("For example: via Taalschool Noord."))
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("partner organisation"),
    )
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    # The token is not stored: only a salt (the token is an HMAC of it under the server's secret
    # key, so the officer can see the link again) and the token's hash (to look it up).
    salt = models.CharField(max_length=40, default=new_token, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ChannelKind.choices, default=ChannelKind.LINK)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="channel_name_unique_in_survey")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def derive_token(salt: str, secret: str) -> str:
        digest = hmac.new(secret.encode(), f"channel:{salt}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode().rstrip("=")

    def set_token(self) -> None:
        """Give a new channel its token: derive it from the salt and store its hash."""
        self.token_hash = hash_token(self.derive_token(self.salt, settings.SECRET_KEY))

    @property
    def token(self) -> str:
        """The link's token, recomputed; also after a secret-key rotation (SECRET_KEY_FALLBACKS)."""
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
            token = self.derive_token(self.salt, secret)
            if hash_token(token) == self.token_hash:
                return token
        raise ValueError("The channel's token cannot be recomputed with the current secret keys.")


class InvitationBatch(models.Model):
    """A batch of personal single-use links. Their tokens exist only in the CSV the officer downloaded."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches", verbose_name=_("survey"))
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    label = models.CharField(_("label"), max_length=100)
    size = models.PositiveIntegerField(_("number of invitations"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("batch of invitations")
        verbose_name_plural = _("batches of invitations")

    def __str__(self) -> str:
        return self.label


class Invitation(models.Model):
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")


class Response(models.Model):
    """One newcomer's answers to one survey. Holds no name, e-mail or IP address."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS)
    # A random key from the consent form: a double tap or a retry of "I agree" starts one response.
    start_key = models.CharField(max_length=40, unique=True)
    # The furthest page reached, so a respondent resumes where they stopped.
    step = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress", completed_at__isnull=True)
                | Q(status="completed", completed_at__isnull=False),
                name="response_completed_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.get_status_display()}"


class Answer(models.Model):
    """One answer: one row per answered question (per chosen option for several choices).

    It carries the keys the reports group by (survey, indicator, question), so aggregates need no join.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.FloatField(null=True, blank=True)
    choice = models.CharField(max_length=60, blank=True)
    text = models.TextField(blank=True)
    dont_know = models.BooleanField(default=False)
    # "Does not apply to me": like "don't know", an answer without a value, counted as missing.
    not_applicable = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "indicator", "question"], name="answer_report_keys")]
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "choice"], name="answer_once_per_question_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.choice or self.number or self.text[:20]}"


class IndicatorScore(models.Model):
    """A respondent's score on one indicator: the mean of their scored answers in it (0-100).

    Written once, at the final submit, in the same transaction (``services.submit_response``).
    Reports aggregate these rows, never the answer rows: one row per respondent and indicator
    instead of one per answer. A respondent who deletes their answers loses these rows with them.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="indicator_scores")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        indexes = [models.Index(fields=["survey", "indicator"], name="indicator_score_report_keys")]
        constraints = [
            models.UniqueConstraint(fields=["response", "indicator"], name="indicator_score_once_per_response"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="indicator_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score:.1f}"
