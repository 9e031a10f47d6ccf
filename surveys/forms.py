from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from integration_mapping.languages import SURVEY_LANGUAGES, survey_language_choices
from surveys import bank, services
from surveys.models import Question, Survey, texts_in
from surveys.scales import CHOICE, RESERVED_VALUES, QuestionType, Section
from surveys.services import MAX_BATCH
from tenants.models import PartnerOrganisation, User

NEW_POSITION = 10**6
QUESTION_LABEL = _("Question")
EXPLANATION_LABEL = _("Explanation")
OPTION_LABEL = _("Option")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.Form):
    """The survey's settings. Titles in other languages are written on the texts page."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("In the base language."))
    wave_label = forms.CharField(label=_("Wave"), max_length=80, help_text=_("For example: Spring 2027."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=survey_language_choices(), widget=forms.CheckboxSelectMultiple
    )
    base_language = forms.ChoiceField(
        label=_("Base language"),
        choices=survey_language_choices(),
        help_text=_("The language you write in first; the others are translations of it."),
    )
    opens_on = forms.DateField(label=_("Opens on"), required=False, widget=DATE_INPUT)
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=DATE_INPUT)
    retention_months = forms.IntegerField(
        label=_("Keep individual answers for (months)"),
        min_value=1,
        max_value=120,
        initial=24,
        help_text=_("After this, individual answers are deleted; the aggregated results stay."),
    )
    results_public = forms.BooleanField(
        label=_("Show the results on a public page"),
        required=False,
        help_text=_("Respondents can then see what came out of it."),
    )

    def clean(self) -> dict:
        data = super().clean()
        languages = data.get("languages") or []
        if data.get("base_language") and languages and data["base_language"] not in languages:
            self.add_error("base_language", _("The base language must be one of the survey's languages."))
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        return data

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        return {
            "title": texts_in(survey.title, survey.base_language),
            "wave_label": survey.wave_label,
            "languages": survey.languages,
            "base_language": survey.base_language,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "retention_months": survey.retention_months,
            "results_public": survey.results_public,
        }

    def apply_to(self, survey: Survey) -> None:
        data = self.cleaned_data
        survey.title = {**survey.title, data["base_language"]: data["title"]}
        for field in ("wave_label", "languages", "base_language", "opens_on", "closes_on"):
            setattr(survey, field, data[field])
        survey.retention_months = data["retention_months"]
        survey.results_public = data["results_public"]


class NewSurveyForm(SurveyForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_(
            "In the base language. Leave it empty for the standard title in every language: "
            "“How is life in our municipality for you?”"
        ),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.in_circle_order(),
        # Stable codes, not primary keys: a form value is never a number the database must fit.
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("All fourteen, or the ones you want to measure in this wave."),
    )
    add_suggested = forms.BooleanField(
        label=_("Start with the suggested questions from the question bank"), required=False, initial=True
    )


class QuestionForm(forms.ModelForm):
    """A question's settings and its texts in the base language.

    Answered questions keep their meaning: the fields that give it are shown but cannot change.
    """

    text_base = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    help_base = forms.CharField(
        label=_("Explanation (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    options_base = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice questions: one option per line."),
    )
    condition = forms.MultipleChoiceField(
        label=_("Only ask this question when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to always ask it. Only earlier one-choice questions can be used."),
    )

    class Meta:
        model = Question
        fields = [
            "indicator",
            "type",
            "required",
            "reverse_scored",
            "allow_dont_know",
            "allow_not_applicable",
            "min_value",
            "max_value",
        ]

    def __init__(
        self, *args: object, survey: Survey, section: str, indicator: Indicator | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.section = section
        self.language = survey.base_language
        question = self.instance
        if not question.pk:
            # A new question goes to the end of the page it was added on.
            question.survey, question.section, question.indicator = survey, section, indicator
            question.position = NEW_POSITION
        self.fields["indicator"].queryset = survey.indicators.order_by("number")
        if section != Section.INDICATOR:
            del self.fields["indicator"]
            del self.fields["reverse_scored"]
        elif not question.pk:
            self.fields["indicator"].initial = indicator
        if question.pk:
            self.fields["text_base"].initial = question.text_in(self.language)
            self.fields["help_base"].initial = texts_in(question.help, self.language)
            self.fields["options_base"].initial = "\n".join(
                question.option_label(value, self.language) for value in question.option_values()
            )
            if question.is_answered:
                reason = _("Fixed: this question already has answers.")
                for name in ("indicator", "type", "reverse_scored", "min_value", "max_value"):
                    if name in self.fields:
                        self.fields[name].disabled = True
                        self.fields[name].help_text = reason
                self.fields["options_base"].help_text = _(
                    "This question already has answers: you can reword the options, not add or remove them."
                )
        self.earlier = self._earlier_choice_questions()
        self.fields["condition"].choices = [
            (f"{q.code}={value}", f"{q.text_in(self.language)} → {q.option_label(value, self.language)}")
            for q in self.earlier
            for value in q.option_values()
        ]
        if question.condition_question_id:
            code = question.condition_question.code
            self.fields["condition"].initial = [f"{code}={value}" for value in question.condition_values]

    def _earlier_choice_questions(self) -> list[Question]:
        question = self.instance
        candidates = self.survey.visible_questions().filter(type=QuestionType.SINGLE).exclude(pk=question.pk)
        if question.section == Section.INDICATOR and question.indicator_id is None:
            return []
        return [q for q in candidates if q.order_key < question.order_key]

    def clean(self) -> dict:
        data = super().clean()
        question_type = data.get("type") or self.instance.type
        lines = [line.strip() for line in (data.get("options_base") or "").splitlines() if line.strip()]
        if question_type in CHOICE:
            if len(lines) < 2:
                self.add_error("options_base", _("A choice question needs at least two options, one per line."))
            elif len(set(lines)) != len(lines):
                self.add_error("options_base", _("Each option can only appear once."))
            elif self.instance.pk and self.instance.is_answered and len(lines) != len(self.instance.options):
                self.add_error(
                    "options_base",
                    _("This question already has answers: keep %(count)s options, one per line.")
                    % {"count": len(self.instance.options)},
                )
        self.option_lines = lines
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The highest number cannot be below the lowest number."))
        chosen = data.get("condition") or []
        codes = {choice.split("=", 1)[0] for choice in chosen}
        if len(codes) > 1:
            self.add_error("condition", _("Choose answers of one question only."))
        else:
            self._apply()
        return data

    # Model fields whose errors belong next to a form field with another name.
    MODEL_TO_FORM = {
        "text": "text_base",
        "help": "help_base",
        "options": "options_base",
        "condition_question": "condition",
        "condition_values": "condition",
    }

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            mapped: dict[str, list] = {}
            for name, field_errors in errors.error_dict.items():
                target = self.MODEL_TO_FORM.get(name, name)
                if target in self.errors:
                    continue  # the form field already says what is wrong
                mapped.setdefault(target if target in self.fields else NON_FIELD_ERRORS, []).extend(field_errors)
            errors = ValidationError(mapped)
        super()._update_errors(errors)

    def _options(self) -> list[dict]:
        question = self.instance
        if self.cleaned_data.get("type", question.type) not in CHOICE:
            return []
        existing = question.options or []
        if question.pk and question.is_answered:
            values = [option["value"] for option in existing]
        else:
            values = []
            for number, line in enumerate(self.option_lines, start=1):
                value = slugify(line)[:40] or f"option-{number}"
                values.append(value if value not in {*values, *RESERVED_VALUES} else f"{value}-{number}")
        options = []
        for index, (value, line) in enumerate(zip(values, self.option_lines, strict=True)):
            labels = dict(existing[index]["label"]) if index < len(existing) else {}
            options.append({"value": value, "label": {**labels, self.language: line}})
        return options

    def _apply(self) -> None:
        """Copy the texts, options and condition onto the (unsaved) question before it is validated."""
        question = self.instance
        question.survey = self.survey
        question.section = self.section
        question.text = {**question.text, self.language: self.cleaned_data.get("text_base", "")}
        help_text = self.cleaned_data.get("help_base", "")
        question.help = (
            {**question.help, self.language: help_text}
            if help_text
            else {k: v for k, v in question.help.items() if k != self.language}
        )
        question.options = self._options()
        chosen = self.cleaned_data.get("condition") or []
        if chosen:
            code = chosen[0].split("=", 1)[0]
            question.condition_question = next(q for q in self.earlier if q.code == code)
            question.condition_values = [choice.split("=", 1)[1] for choice in chosen]
        else:
            question.condition_question = None
            question.condition_values = []


STANDARD_CHECKED = "standard.checked"
CHECKED_LABEL = _("Checked by a native speaker")
UNCHECKED_HELP = _("From the question bank, not yet checked by a native speaker. Tick when someone has.")


def text_key(question: Question, part: str = "text", value: str = "") -> str:
    """The stable name of one of a question's texts, in the texts form and the translator's file:
    ``<code>.text``, ``<code>.help`` or ``<code>.option.<value>``."""
    return ".".join(filter(None, (question.code, part, value)))


class TextsForm(forms.Form):
    """Every text of a survey in one language, with the base language next to each field."""

    def __init__(self, *args: object, survey: Survey, language: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.language = language
        base = survey.base_language
        self.is_base = language == base
        self.rows: list[tuple[str, list[tuple[str, str]]]] = []
        lang_attrs = {"lang": language, "dir": "rtl" if SURVEY_LANGUAGES[language][1] else "ltr"}

        def add(name: str, label: str, source: dict, *, required: bool = False, long: bool = False) -> None:
            widget = forms.Textarea(attrs={**lang_attrs, "rows": 3}) if long else forms.TextInput(attrs=lang_attrs)
            base_text = texts_in(source, base)
            self.fields[name] = forms.CharField(
                label=label,
                required=required,
                max_length=4000 if long else 500,
                initial=texts_in(source, language),
                widget=widget,
                help_text="" if self.is_base else base_text,
            )

        def add_checked(name: str, label: str, unchecked: list[str]) -> None:
            if language in (unchecked or []):
                self.fields[name] = forms.BooleanField(label=label, required=False, help_text=UNCHECKED_HELP)

        add("title", str(_("Survey title")), survey.title, required=self.is_base)
        if not self.is_base:
            add("wave_label", str(_("Wave")), {**survey.wave_labels, base: survey.wave_label})
        if language != "nl":
            names = {**survey.municipality.names, base: survey.municipality.name}
            add("municipality_name", str(_("Name of the municipality, where it is written differently")), names)
        add("introduction", str(_("Introduction")), survey.introduction, long=True)
        add("consent", str(_("Extra text for the consent page (optional)")), survey.consent, long=True)
        standard_label = str(_("Title, introduction and consent text checked by a native speaker"))
        add_checked(STANDARD_CHECKED, standard_label, survey.unchecked_languages)
        self.questions = survey.numbered_questions()
        for number, question in enumerate(self.questions, start=1):
            add(text_key(question), f"{number}. {QUESTION_LABEL}", question.text, required=self.is_base)
            if texts_in(question.help, base) or texts_in(question.help, language):
                add(text_key(question, "help"), f"{number}. {EXPLANATION_LABEL}", question.help)
            for index, option in enumerate(question.options or []):
                label = f"{number}. {OPTION_LABEL} {index + 1}"
                add(text_key(question, "option", option["value"]), label, option.get("label", {}))
            add_checked(text_key(question, "checked"), f"{number}. {CHECKED_LABEL}", question.unchecked_languages)

    def changed_questions(self) -> list[Question]:
        """Apply the cleaned texts to the survey (unsaved) and return the questions that changed."""
        language = self.language
        data = self.cleaned_data

        def put(values: dict, text: str) -> dict:
            values = dict(values or {})
            if text.strip():
                values[language] = text.strip()
            else:
                values.pop(language, None)
            return values

        survey = self.survey
        fields = ("title", "introduction", "consent")
        before = [getattr(survey, field) for field in fields]
        for field in fields:
            setattr(survey, field, put(getattr(survey, field), data[field]))
        if "wave_label" in data:
            survey.wave_labels = put(survey.wave_labels, data["wave_label"])
        if "municipality_name" in data:
            survey.municipality.names = put(survey.municipality.names, data["municipality_name"])
        # A text the officer wrote or confirmed is no longer the bank's unchecked text.
        if data.get(STANDARD_CHECKED) or before != [getattr(survey, field) for field in fields]:
            survey.unchecked_languages = bank.mark_checked(survey.unchecked_languages, language)
        changed = []
        for question in self.questions:
            text = put(question.text, data[text_key(question)])
            help_key = text_key(question, "help")
            help_text = put(question.help, data[help_key]) if help_key in data else question.help
            options = [
                {**option, "label": put(option.get("label", {}), data[text_key(question, "option", option["value"])])}
                for option in question.options or []
            ]
            edited = (text, help_text, options) != (question.text, question.help, question.options)
            checked = data.get(text_key(question, "checked")) and language in question.unchecked_languages
            if edited or checked:
                question.text, question.help, question.options = text, help_text, options
                question.unchecked_languages = bank.mark_checked(question.unchecked_languages, language)
                changed.append(question)
        return changed

    @transaction.atomic
    def save(self, *, editor: User | None) -> list[Question]:
        """Store the texts: the survey's and every changed question's, through
        ``services.save_question`` (so changes after publishing are recorded). All or nothing."""
        changed = self.changed_questions()
        self.survey.save()
        if "municipality_name" in self.cleaned_data:
            self.survey.municipality.save(update_fields=["names"])
        for question in changed:
            services.save_question(question=question, editor=editor)
        return changed


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Channel name"), max_length=100, help_text=_("For example: via Taalschool Noord."))
    partner = forms.ModelChoiceField(label=_("Partner organisation (optional)"), queryset=None, required=False)

    def __init__(self, *args: object, survey: Survey, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["partner"].queryset = PartnerOrganisation.objects.filter(
            partnerships__municipality=survey.municipality
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.survey.channels.filter(name__iexact=name).exists():
            raise ValidationError(_("This survey already has a channel with that name."))
        return name


class InvitationForm(forms.Form):
    label = forms.CharField(
        label=_("Label for this batch"), max_length=100, help_text=_("For example: status holders 2026, letter.")
    )
    size = forms.IntegerField(
        label=_("Number of invitations"),
        min_value=1,
        max_value=MAX_BATCH,
        help_text=format_lazy(
            _("Between 1 and {max}. The links are shown only once, in the file you download."), max=MAX_BATCH
        ),
    )


class CopyForm(forms.Form):
    wave_label = forms.CharField(label=_("Name of the new wave"), max_length=80)
