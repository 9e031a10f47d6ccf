"""The survey builder for policy officers, and the links partners may share."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from indicators.models import Indicator
from integration_mapping.languages import SURVEY_LANGUAGES
from surveys import qr, services
from surveys.access import get_batch, get_channel, get_question, get_survey
from surveys.bank import unchecked_texts
from surveys.forms import ChannelForm, CopyForm, InvitationForm, NewSurveyForm, QuestionForm, SurveyForm, TextsForm
from surveys.links import channel_rows, channel_url, print_refusal, response_counts
from surveys.models import BankQuestion, Channel, ResponseStatus, StateNow, Survey, SurveyState, SurveyStatus
from surveys.respond import group_into_pages, number_questions, preview_context
from surveys.scales import Section
from tenants.access import Access, Level, get_access


def _survey_url(survey: Survey, name: str = "survey", **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **kwargs})


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _errors_to_form(form, error: ValidationError) -> None:
    """Show a service's validation errors next to the form's fields (or above the form)."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.VIEWER)
    surveys = access.municipality.surveys.annotate(
        started=Count("responses"),
        completed=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETED)),
    )
    context = {
        "municipality": access.municipality,
        "surveys": surveys,
        "can_edit": access.allows(Level.EDITOR),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.EDITOR)
    municipality = access.municipality
    initial = {
        "languages": municipality.survey_languages,
        "base_language": municipality.survey_languages[0] if municipality.survey_languages else "nl",
        "indicators": Indicator.objects.all(),
        "wave_label": date_format(timezone.localdate(), "F Y"),
    }
    form = NewSurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = services.create_survey(
            municipality=municipality,
            title=data["title"],
            wave_label=data["wave_label"],
            base_language=data["base_language"],
            languages=data["languages"],
            indicators=data["indicators"],
            add_suggested=data["add_suggested"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            retention_months=data["retention_months"],
            results_public=data["results_public"],
        )
        messages.success(request, _("The survey has been created as a draft."))
        return redirect(_survey_url(survey))
    return render(request, "surveys/survey_form.html", {"municipality": municipality, "form": form, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        languages_before = list(survey.languages)
        form.apply_to(survey)
        try:
            survey.full_clean()
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            services.save_survey_settings(survey=survey, editor=request.user, languages_before=languages_before)
            messages.success(request, _("The settings have been saved."))
            return redirect(_survey_url(survey))
    context = {"municipality": access.municipality, "form": form, "survey": survey}
    return render(request, "surveys/survey_form.html", context)


@login_required
def survey_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id)
    questions = list(survey.visible_questions().select_related("condition_question", "bank_question"))
    used_bank_ids = {q.bank_question_id for q in survey.questions.all() if q.bank_question_id}
    bank_by_group = defaultdict(list)
    bank = {bank_question.code: bank_question for bank_question in BankQuestion.objects.order_by("position")}
    for bank_question in bank.values():
        if bank_question.pk not in used_bank_ids:
            bank_by_group[(bank_question.section, bank_question.indicator_id)].append(bank_question)
    # A bank question meant only for some people whose deciding question is not in the survey: offer it.
    used_codes = {q.bank_question.code for q in questions if q.bank_question_id}
    for question in questions:
        code = question.bank_question.condition_code if question.bank_question_id else ""
        question.missing_dependency = bank.get(code) if code and code not in used_codes else None
    # Every page, also an empty one: the officer adds its questions here. The page colours need the domains.
    indicators = survey.indicators.select_related("domain").order_by("number")
    pages = group_into_pages(indicators, questions, keep_empty=True)
    number_questions(pages)
    for page in pages:
        page.bank = bank_by_group[(page.section, page.indicator.pk if page.indicator else None)]
    language_names = {code: SURVEY_LANGUAGES[code][0] for code in survey.languages}
    for question in questions:
        unchecked = question.unchecked_languages
        question.unchecked_names = [name for code, name in language_names.items() if code in unchecked]
    context = {
        "raw_answers_due": survey.raw_answers_due(),
        "access": access,
        "municipality": access.municipality,
        "survey": survey,
        "pages": pages,
        "can_edit": access.allows(Level.EDITOR),
        "problems": survey.publication_problems() if survey.status == SurveyStatus.DRAFT else [],
        "copy_form": CopyForm(),
        "language_names": language_names,
        "unchecked": [(language_names[code], len(texts)) for code, texts in unchecked_texts(survey).items() if texts],
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_POST
def survey_action(request: HttpRequest, slug: str, public_id: str, action: str) -> HttpResponse:
    _access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    actions = {"publish": services.publish, "close": services.close, "reopen": services.reopen}
    if action not in actions:
        raise Http404("No such action.")
    try:
        actions[action](survey=survey, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _action_message(action, survey.state()))
    return redirect(_survey_url(survey))


def _action_message(action: str, now: StateNow) -> str:
    """What the action did, as newcomers get it: a survey published before its opening date is not open yet."""
    if action == "close":
        return _("The survey is closed.")
    if now.state == SurveyState.SCHEDULED:
        return _("The survey is published. Newcomers can answer from %(date)s.") % {"date": date_format(now.day)}
    if now.state == SurveyState.CLOSED:
        return _("The survey is published, but its closing date has passed: newcomers cannot answer.")
    if action == "reopen":
        return _("The survey is open again.")
    return _("The survey is published and open for answers.")


@login_required
@require_POST
def survey_copy(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    _access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new wave a name."))
        return redirect(_survey_url(survey))
    copy = services.copy_as_new_wave(survey=survey, wave_label=form.cleaned_data["wave_label"])
    messages.success(request, _("A new wave has been made as a draft, with the same questions."))
    return redirect(_survey_url(copy))


@login_required
@require_POST
def question_add_from_bank(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Add the ticked bank questions (one or more) and return to the page they were added on."""
    _access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    codes = request.POST.getlist("code")
    chosen = list(BankQuestion.objects.filter(code__in=codes).select_related("indicator"))
    if len(chosen) != len(set(codes)):
        raise Http404("No such question in the bank.")
    anchor = f"#page-{_page_key(chosen[0])}" if chosen else ""
    if not chosen:
        messages.error(request, _("Tick one or more questions to add."))
        return redirect(_survey_url(survey) + anchor)
    chosen.sort(key=lambda bank_question: bank_question.position)
    indicators = set(survey.indicators.values_list("pk", flat=True))
    added = []
    for bank_question in chosen:
        if bank_question.section == Section.INDICATOR and bank_question.indicator_id not in indicators:
            messages.error(request, _("Add this question's indicator to the survey first."))
            continue
        try:
            added.append(services.add_bank_question(survey=survey, bank_question=bank_question))
        except ValidationError as error:
            _errors_to_messages(request, error)
    if added:
        messages.success(
            request,
            ngettext("%(count)d question has been added.", "%(count)d questions have been added.", len(added))
            % {"count": len(added)},
        )
    for question in added:
        bank_question = question.bank_question
        dependency = services.missing_dependency(survey=survey, bank_question=bank_question)
        if dependency is not None:
            messages.warning(
                request,
                _(
                    "“%(question)s” is meant only for people who answer “%(dependency)s” in a certain way. "
                    "Add that question too: then it is only asked of them."
                )
                % {
                    "question": bank_question.text_in(survey.base_language) or bank_question.text_in("en"),
                    "dependency": dependency.text_in(survey.base_language) or dependency.text_in("en"),
                },
            )
    return redirect(_survey_url(survey) + anchor)


def _page_key(bank_question: BankQuestion) -> str:
    """The builder's id of the page a bank question goes on (``Page.key``)."""
    return bank_question.indicator.code if bank_question.section == Section.INDICATOR else bank_question.section


def _question_form_page(request: HttpRequest, survey: Survey, form: QuestionForm, question=None) -> HttpResponse:
    context = {"municipality": survey.municipality, "survey": survey, "form": form, "question": question}
    return render(request, "surveys/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, slug: str, public_id: str, section: str) -> HttpResponse:
    _access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    if section not in Section.values:
        raise Http404("No such section.")
    indicator = None
    if section == Section.INDICATOR:
        indicator = get_object_or_404(survey.indicators, code=request.GET.get("indicator", ""))
    form = QuestionForm(request.POST or None, survey=survey, section=section, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(question=form.instance)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The question has been added."))
            return redirect(_survey_url(survey))
    return _question_form_page(request, survey, form)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, public_id: str, code: str) -> HttpResponse:
    _access, survey, question = get_question(request, slug, public_id, code)
    form = QuestionForm(request.POST or None, instance=question, survey=survey, section=question.section)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(question=form.instance, editor=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The question has been saved."))
            return redirect(_survey_url(survey))
    return _question_form_page(request, survey, form, question)


@login_required
@require_POST
def question_move(request: HttpRequest, slug: str, public_id: str, code: str) -> HttpResponse:
    _access, survey, question = get_question(request, slug, public_id, code)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_question(question=question, offset=offset)
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect(_survey_url(survey) + f"#question-{question.code}")


@login_required
@require_POST
def question_remove(request: HttpRequest, slug: str, public_id: str, code: str) -> HttpResponse:
    _access, survey, question = get_question(request, slug, public_id, code)
    try:
        outcome = services.remove_question(question=question)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        if outcome == "hidden":
            messages.success(request, _("The question has answers, so it is hidden instead of deleted."))
        else:
            messages.success(request, _("The question has been removed."))
    return redirect(_survey_url(survey))


@login_required
def survey_translations(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id)
    missing = survey.missing_translations()
    unchecked = unchecked_texts(survey)
    rows = [
        {
            "code": code,
            "name": SURVEY_LANGUAGES[code][0],
            "rtl": SURVEY_LANGUAGES[code][1],
            "is_base": code == survey.base_language,
            "missing": missing[code],
            "unchecked": unchecked[code],
        }
        for code in survey.languages
    ]
    context = {
        "municipality": access.municipality,
        "survey": survey,
        "rows": rows,
        "can_edit": access.allows(Level.EDITOR),
    }
    return render(request, "surveys/translations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_texts(request: HttpRequest, slug: str, public_id: str, language: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    if language not in survey.languages:
        raise Http404("The survey is not offered in this language.")
    form = TextsForm(request.POST or None, survey=survey, language=language)
    if request.method == "POST" and form.is_valid():
        form.save(editor=request.user)
        messages.success(request, _("The texts have been saved."))
        return redirect(_survey_url(survey, "survey_translations"))
    context = {
        "municipality": access.municipality,
        "survey": survey,
        "form": form,
        "language": language,
        "language_name": SURVEY_LANGUAGES[language][0],
    }
    return render(request, "surveys/texts_form.html", context)


@login_required
def survey_preview(request: HttpRequest, slug: str, public_id: str, language: str) -> HttpResponse:
    _access, survey = get_survey(request, slug, public_id)
    if language not in survey.languages:
        raise Http404("The survey is not offered in this language.")
    with translation.override(language):
        return render(request, "surveys/respond/preview.html", preview_context(survey, language))


@login_required
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id)
    form = ChannelForm(request.POST or None, survey=survey)
    if request.method == "POST":
        if not access.allows(Level.EDITOR):
            raise PermissionDenied
        if form.is_valid():
            services.create_channel(survey=survey, name=form.cleaned_data["name"], partner=form.cleaned_data["partner"])
            messages.success(request, _("The channel has been added."))
            return redirect(_survey_url(survey, "channel_list"))
    channels = channel_rows(request, survey.channels.select_related("survey__municipality", "partner"))
    context = {
        "access": access,
        "municipality": access.municipality,
        "survey": survey,
        "channels": channels,
        "form": form,
        "can_edit": access.allows(Level.EDITOR),
    }
    return render(request, "surveys/channel_list.html", context)


@login_required
@require_POST
def channel_toggle(request: HttpRequest, slug: str, channel_id: str) -> HttpResponse:
    _access, channel = get_channel(request, slug, channel_id, need=Level.EDITOR)
    channel.active = not channel.active
    channel.save(update_fields=["active"])
    messages.success(request, _("The link is active.") if channel.active else _("The link has been switched off."))
    return redirect(_survey_url(channel.survey, "channel_list"))


def _print_refusal(request: HttpRequest, access: Access, channel: Channel) -> HttpResponse | None:
    """A page saying why no QR code or poster is made for ``channel`` now (surveys.links), or None.

    A draft's links are not shown to partners at all: for them it is a 404, like an unknown channel.
    The refusal is 410 Gone rather than 404: the channel exists and is listed with its status, and
    "not found" would read as a broken link; the page says why.
    """
    survey = channel.survey
    if access.is_partner and survey.status == SurveyStatus.DRAFT:
        raise Http404("No such channel.")
    reason = print_refusal(channel, for_partner=access.is_partner)
    if reason is None:
        return None
    context = {"refused": reason, "channel": channel, "survey": survey, "back": _channels_page(access, channel)}
    return render(request, "surveys/poster.html", context, status=410)


def _channels_page(access: Access, channel: Channel) -> str:
    """Where a person finds this channel's link: a partner's workspace, or the survey's links."""
    if access.is_partner:
        return reverse("partner_workspace", kwargs={"slug": access.municipality.slug}) + "#links"
    return _survey_url(channel.survey, "channel_list")


@login_required
def channel_qr(request: HttpRequest, slug: str, channel_id: str, kind: str) -> HttpResponse:
    access, channel = get_channel(request, slug, channel_id)
    if kind not in qr.KINDS:
        raise Http404("No such image type.")
    refusal = _print_refusal(request, access, channel)
    if refusal is not None:
        return refusal
    content, content_type = qr.render(channel_url(request, channel.token), kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{channel.public_id}.{kind}"'
    return response


@login_required
def channel_poster(request: HttpRequest, slug: str, channel_id: str) -> HttpResponse:
    access, channel = get_channel(request, slug, channel_id)
    refusal = _print_refusal(request, access, channel)
    if refusal is not None:
        return refusal
    survey = channel.survey
    url = channel_url(request, channel.token)
    # The base language first and largest; then every other language of the survey, each in its own words.
    codes = [survey.base_language, *(code for code in survey.languages if code != survey.base_language)]
    languages = [{"code": code, "rtl": SURVEY_LANGUAGES[code][1], "title": survey.title_in(code)} for code in codes]
    context = {
        "channel": channel,
        "survey": survey,
        "url": url,
        "qr_svg": qr.inline_svg(url),
        "languages": languages,
        "minutes": survey.minutes_to_answer(),
        "back": _channels_page(access, channel),
    }
    return render(request, "surveys/poster.html", context)


@login_required
def partner_links(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner's links live on its workspace, grouped per survey and wave; staff find theirs per survey."""
    access = get_access(request, slug)
    if access.is_partner:
        return redirect(reverse("partner_workspace", kwargs={"slug": slug}) + "#links")
    return redirect("municipality", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch, tokens = services.create_invitations(
            survey=survey, label=form.cleaned_data["label"], size=form.cleaned_data["size"], created_by=request.user
        )
        return _invitations_csv(request, survey, batch, tokens)
    counts = response_counts(survey.responses.filter(invitation__isnull=False), "invitation__batch_id")
    batches = [(batch, counts.get(batch.pk, {})) for batch in survey.batches.all()]
    context = {"municipality": access.municipality, "survey": survey, "form": form, "batches": batches}
    return render(request, "surveys/invitation_list.html", context)


def _invitations_csv(request: HttpRequest, survey: Survey, batch, tokens: list[str]) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invitations-{survey.public_id}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("number"), _("personal link"), _("given to (your own notes)")])
    for number, token in enumerate(tokens, start=1):
        writer.writerow([number, request.build_absolute_uri(reverse("respond_entry", kwargs={"token": token})), ""])
    return response


@login_required
@require_POST
def batch_toggle(request: HttpRequest, slug: str, public_id: str, batch_id: str) -> HttpResponse:
    _access, survey, batch = get_batch(request, slug, public_id, batch_id)
    batch.active = not batch.active
    batch.save(update_fields=["active"])
    messages.success(
        request, _("The invitations are active.") if batch.active else _("The invitations have been switched off.")
    )
    return redirect(_survey_url(survey, "invitation_list"))
