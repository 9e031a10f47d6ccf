"""The newcomer's side: from a link to the thank-you page.

A link's token is only read once: the entry view keeps what it opened in the session and
redirects to token-free pages, so the token never lingers in history, Referer headers or logs.
Nothing is stored before the respondent agrees to take part.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import partial

from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from surveys import services, throttle
from surveys.frame import (
    SESSION_KEY,
    browser_language,
    newcomer_language,
    newcomer_page,
    not_found,
    render_newcomer,
    too_many,
)
from surveys.links import links_page
from surveys.models import (
    Channel,
    ChannelKind,
    Invitation,
    Question,
    Response,
    ResponseStatus,
    Survey,
    hash_token,
    texts_in,
)
from surveys.respond import (
    PageForm,
    asked_questions,
    display_value,
    field_name,
    initial_for,
    language_context,
    stored_values,
)
from surveys.structure import Structure, response_with_survey, structure_for


@dataclass
class State:
    """What the session remembers for a respondent: the survey, how they came, their response."""

    survey: Survey
    channel_id: int | None
    invitation_id: int | None
    response: Response | None
    language: str
    # Answers entered by a signed-in person for a newcomer (surveys.interview_views).
    interview: bool = False

    @classmethod
    def load(cls, request: HttpRequest) -> State | None:
        data = request.session.get(SESSION_KEY)
        if not data:
            return None
        if data.get("interview") and not request.user.is_authenticated:
            # An interview goes on only while its interviewer is signed in: without them these
            # pages are a stranger's, whatever is left in the session.
            return None
        response = None
        if data.get("response"):
            # In one query, with the survey as kept for its current version (surveys.structure).
            response = response_with_survey(data["response"], data["survey"])
        if response is not None:
            survey = response.survey
        else:
            survey = Survey.objects.filter(pk=data["survey"]).select_related("municipality").first()
        if survey is None:
            return None
        language = data.get("language") if data.get("language") in survey.languages else survey.base_language
        return cls(survey, data.get("channel"), data.get("invitation"), response, language, bool(data.get("interview")))

    def switch_language(self, request: HttpRequest, language: str) -> None:
        """Speak ``language`` from now on, if the survey offers it; a response in progress too."""
        if language not in self.survey.languages:
            return
        self.language = language
        self.save(request)
        if self.response is not None and self.response.status == ResponseStatus.IN_PROGRESS:
            self.response.language = language
            self.response.save(update_fields=["language"])

    def save(self, request: HttpRequest) -> None:
        request.session[SESSION_KEY] = {
            "survey": self.survey.pk,
            "channel": self.channel_id,
            "invitation": self.invitation_id,
            "response": self.response.pk if self.response else None,
            "language": self.language,
            "interview": self.interview,
        }


@newcomer_page
def entry(request: HttpRequest, token: str) -> HttpResponse:
    """A public or personal link: remember what it opens, then continue on a URL without the token."""
    if not throttle.allow(request, "link"):
        return too_many(request)
    token_hash = hash_token(token)
    # An interview channel's link opens nothing: its answers come in through a signed-in person.
    channel = (
        Channel.objects.filter(token_hash=token_hash, active=True, kind=ChannelKind.LINK)
        .select_related("survey")
        .first()
    )
    invitation = None
    if channel is None:
        invitation = (
            Invitation.objects.filter(token_hash=token_hash, batch__active=True).select_related("batch__survey").first()
        )
    if channel is None and invitation is None:
        throttle.count_failure(request, "link")
        return not_found(request)
    survey = channel.survey if channel else invitation.batch.survey
    previous = State.load(request)
    language = browser_language(request, survey.languages, survey.base_language)
    response = None
    if invitation is not None:
        response = Response.objects.filter(invitation=invitation).first()
    elif previous and previous.survey == survey and previous.response and previous.channel_id == channel.pk:
        # The same browser opens the same public link again: carry on with its response.
        response = previous.response
        language = previous.language
    if response is not None:
        language = response.language if response.language in survey.languages else language
    State(survey, channel.pk if channel else None, invitation.pk if invitation else None, response, language).save(
        request
    )
    return redirect("respond_start")


def _closed_or_none(request: HttpRequest, state: State) -> HttpResponse | None:
    if state.survey.accepts_responses():
        return None
    context = _frame(state, closed=state.survey.has_closed())
    return render_newcomer(request, "surveys/respond/not_open.html", context, language=state.language)


def _frame(state: State, **extra: object) -> dict:
    return {
        "survey": state.survey,
        "title": state.survey.title_in(state.language),
        "interview": state.interview,
        **extra,
    }


@newcomer_page
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Introduction and consent. Declining stores nothing."""
    state = State.load(request)
    if state is None:
        return not_found(request)
    if "lang" in request.GET:
        state.switch_language(request, request.GET["lang"])
    closed = _closed_or_none(request, state)
    if closed:
        return closed
    if state.response is not None:
        if state.response.status == ResponseStatus.COMPLETED:
            # Someone opens a link whose answers were sent before (a used personal link).
            return redirect(reverse("respond_thanks") + "?already=1")
        return _resume(state)
    if request.method == "POST":
        if request.POST.get("consent") == "no":
            request.session.pop(SESSION_KEY, None)
            return render_newcomer(request, "surveys/respond/declined.html", _frame(state), language=state.language)
        if request.POST.get("consent") == "yes":
            if not throttle.allow(request, "start"):
                return too_many(request, state.language)
            start_key = request.POST.get("start_key", "")
            if not 20 <= len(start_key) <= 40:
                start_key = secrets.token_urlsafe(24)
            state.response = services.start_response(
                survey=state.survey,
                language=state.language,
                start_key=start_key,
                channel=Channel.objects.filter(pk=state.channel_id).first(),
                invitation=Invitation.objects.filter(pk=state.invitation_id).first(),
            )
            state.save(request)
            return _resume(state)
    pages = structure_for(state.survey).pages
    context = _frame(
        state,
        introduction=texts_in(state.survey.introduction, state.language),
        consent=texts_in(state.survey.consent, state.language),
        municipality_name=state.survey.municipality.name_in(state.language),
        wave=state.survey.wave_label_in(state.language),
        start_key=secrets.token_urlsafe(24),
        minutes=max(3, round(sum(len(page.questions) for page in pages) * 0.25)),
        language_links=True,
    )
    return render_newcomer(request, "surveys/respond/start.html", context, language=state.language)


def _resume(state: State) -> HttpResponse:
    """Back to where the respondent stopped: the furthest page reached, or the review."""
    if state.response.step > len(structure_for(state.survey).pages):
        return redirect("respond_review")
    return redirect("respond_step", step=state.response.step)


def _active_response(request: HttpRequest) -> tuple[State | None, HttpResponse | None]:
    """The state of a respondent who is answering, or the page to show instead."""
    state = State.load(request)
    if state is None:
        return None, not_found(request)
    closed = _closed_or_none(request, state)
    if closed:
        return None, closed
    if state.response is None:
        return None, redirect("respond_start")
    if state.response.status == ResponseStatus.COMPLETED:
        return None, redirect("respond_thanks")
    return state, None


@newcomer_page
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: int) -> HttpResponse:
    """One page of questions. Every Next saves the page's answers on the server."""
    state, other = _active_response(request)
    if other:
        return other
    structure = structure_for(state.survey)
    pages = structure.pages
    if not 1 <= step <= len(pages):
        return _resume(state)
    page = pages[step - 1]
    # The page's questions and those that decide whether they are asked.
    needed = structure.needed_for(page)
    if request.method == "POST":
        if not throttle.allow(request, "answer"):
            return too_many(request, state.language)
        action = request.POST.get("action", "next")
        form = PageForm(request.POST, questions=page.questions, language=state.language)
        form.is_valid()
        shown = set(request.POST.getlist("shown"))
        # The stored answers that matter here: those the others depend on, and those to the page's
        # questions the respondent did not see. None at all on most pages: no query then.
        unseen = [q for q in needed if q.code not in shown or q.pk in structure.condition_sources]
        values = stored_values(state.response, unseen) if unseen else {}
        values.update({question.pk: value for question, value in form.values().items()})
        asked = {question.pk for question in asked_questions(needed, values)}
        # Only questions the respondent saw can be required now; Back and a language switch save
        # what is there without insisting.
        required = {q.pk for q in page.questions if q.code in shown} if action == "next" else set()
        to_store = form.check(asked=asked, required=required)
        newly_asked = [q for q in page.questions if q.pk in asked and q.code not in shown and values.get(q.pk) is None]
        moves_on = action == "next" and not form.errors and not newly_asked
        # The furthest page reached: where the respondent resumes (one past the last: the review).
        services.save_answers(response=state.response, answers=to_store, step=step + 1 if moves_on else step)
        if action.startswith("language:"):
            state.switch_language(request, action.split(":", 1)[1])
            return redirect("respond_step", step=step)
        if action == "back":
            return redirect("respond_step", step=step - 1) if step > 1 else redirect("respond_start")
        if moves_on:
            if step == len(pages):
                return redirect("respond_review")
            return redirect("respond_step", step=step + 1)
        status = 422 if form.errors else 200
        return _render_step(request, state, structure, step, form, asked, status=status, more=bool(newly_asked))
    values = stored_values(state.response, needed)
    form = PageForm(initial=initial_for(page.questions, values), questions=page.questions, language=state.language)
    asked = {question.pk for question in asked_questions(needed, values)}
    return _render_step(request, state, structure, step, form, asked)


def _render_step(
    request: HttpRequest,
    state: State,
    structure: Structure,
    step: int,
    form: PageForm,
    asked: set[int],
    *,
    status: int = 200,
    more: bool = False,
) -> HttpResponse:
    pages = structure.pages
    page = pages[step - 1]
    with translation.override(state.language):
        context = _frame(
            state,
            page=page,
            page_title=structure.fragment(("title", state.language, step), partial(page.title, state.language)),
            form=form,
            step=step,
            total=len(pages),
            percent=round(100 * (step - 1) / len(pages)),
            hidden_ids={question.pk for question in page.questions if question.pk not in asked},
            error_links=_error_links(form, asked) if form.is_bound else [],
            more=more,
            language_buttons=True,
            **language_context(state.survey, state.language),
        )
        context["questions"] = [
            (question, _question_block(structure, context, question, field)) for question, field in form.items()
        ]
    return render_newcomer(request, "surveys/respond/step.html", context, language=state.language, status=status)


def _question_block(structure: Structure, context: dict, question: Question, field: BoundField) -> str:
    """A question as step.html shows it.

    The same question in the same language, shown or hidden, with the same choice ticked, looks
    the same to every respondent: it is rendered once per version of the survey. A form sent back
    with its errors is rendered afresh, and so is a written answer: a respondent's own words are
    never kept.
    """
    form = field.form
    value = form.initial.get(field.name)

    def render() -> str:
        return render_to_string(
            "surveys/respond/_question.html", {**context, "question": question, "bound_field": field}
        )

    if form.is_bound or (value is not None and not (question.is_choice or question.is_scored)):
        return render()
    hidden = question.pk in context["hidden_ids"]
    return structure.fragment(("question", context["language"], question.pk, hidden, repr(value)), render)


def _review_row(structure: Structure, language: str, url: str, row: dict, value: object) -> str:
    """An answer as the review shows it: rendered once per version of the survey, like a question
    block, unless it is written."""
    question = row["question"]

    def render() -> str:
        answer = None if value is None else display_value(question, value, language)
        return render_to_string("surveys/respond/_review_row.html", {"row": {**row, "answer": answer}, "url": url})

    if value is not None and not (question.is_choice or question.is_scored):
        return render()
    return structure.fragment(("review", language, question.pk, row["missing"], repr(value)), render)


def _error_links(form: PageForm, asked: set[int]) -> list[dict]:
    """The error summary's links: each names its question by its place on the page and its text, so
    a list of "please answer" links still says which question each one is about."""
    links = []
    shown = [(question, field) for question, field in form.items() if question.pk in asked]
    for number, (_question, field) in enumerate(shown, start=1):
        # A group of choices is reached through its first choice; a text field has no input_type.
        choices = getattr(field.field.widget, "input_type", "") in ("radio", "checkbox")
        anchor = f"{field.auto_id}_0" if choices else field.auto_id
        links += [{"anchor": anchor, "number": number, "question": field.label, "error": e} for e in field.errors]
    return links


@newcomer_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    """All answers on one page before the one final submit."""
    state, other = _active_response(request)
    if other:
        return other
    structure = structure_for(state.survey)
    pages = structure.pages
    missing = []
    if request.method == "POST":
        if not throttle.allow(request, "answer"):
            return too_many(request, state.language)
        # Whether the answers may be sent needs only the deciding ones (see Structure.deciding).
        values = stored_values(state.response, structure.deciding)
        asked = asked_questions(structure.deciding, values)
        missing = [q for q in asked if q.required and values.get(q.pk) is None]
        if not missing:
            not_asked = {q.pk for q in structure.deciding} - {q.pk for q in asked}
            asked_ids = {q.pk for q in structure.questions} - not_asked
            services.submit_response(response=state.response, asked=asked_ids, stale=set(values) & not_asked)
            return redirect("respond_thanks")
    values = stored_values(state.response, structure.questions)
    asked = asked_questions(structure.questions, values)
    asked_ids = {question.pk for question in asked}
    missing_ids = {question.pk for question in missing}
    sections = []
    with translation.override(state.language):
        for number, page in enumerate(pages, start=1):
            url = structure.fragment(("url", number), lambda number=number: reverse("respond_step", args=[number]))
            title = structure.fragment(("title", state.language, number), partial(page.title, state.language))
            rows = []
            for question in page.questions:
                if question.pk in asked_ids:
                    row = {
                        "question": question,
                        "text": question.text_in(state.language),
                        "missing": question.pk in missing_ids,
                        "anchor": field_name(question),
                    }
                    row["html"] = _review_row(structure, state.language, url, row, values.get(question.pk))
                    rows.append(row)
            sections.append({"step": number, "url": url, "title": title, "rows": rows})
    context = _frame(state, sections=sections, missing=missing, total=len(pages), language_links=True)
    return render_newcomer(
        request, "surveys/respond/review.html", context, language=state.language, status=422 if missing else 200
    )


@newcomer_page
def thanks(request: HttpRequest) -> HttpResponse:
    state = State.load(request)
    if state is None or state.response is None:
        return not_found(request)
    if state.response.status != ResponseStatus.COMPLETED:
        return _resume(state)
    already = request.GET.get("already") == "1"
    context = _frame(state, personal=state.invitation_id is not None, already=already)
    if state.interview:
        by_partner = Channel.objects.filter(pk=state.channel_id, partner__isnull=False).exists()
        context["links_page"] = links_page(state.survey, partner=by_partner)
    return render_newcomer(request, "surveys/respond/thanks.html", context, language=state.language)


@newcomer_page
@require_POST
def again(request: HttpRequest) -> HttpResponse:
    """On a shared phone: start a new, empty questionnaire through the same public link. In an
    interview: the next interview, through the same interview channel."""
    state = State.load(request)
    if state is None or state.invitation_id is not None:
        return not_found(request)
    state.response = None
    state.save(request)
    return redirect("respond_start")


@newcomer_page
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """A respondent deletes their own answers, after confirming."""
    state = State.load(request)
    if state is None or state.response is None:
        return not_found(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.delete_response(response=state.response)
        request.session.pop(SESSION_KEY, None)
        return render_newcomer(request, "surveys/respond/deleted.html", _frame(state), language=state.language)
    return render_newcomer(request, "surveys/respond/delete.html", _frame(state), language=state.language)


@newcomer_page
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language switch on pages without a form of answers."""
    state = State.load(request)
    if state is None:
        return not_found(request)
    state.switch_language(request, request.POST.get("language", ""))
    target = request.POST.get("next", "")
    allowed = {reverse(name) for name in ("respond_start", "respond_review", "respond_thanks", "respond_delete")}
    return redirect(target if target in allowed else "respond_start")


@newcomer_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render_newcomer(request, "surveys/respond/accessibility.html", {}, language=newcomer_language(request))


@newcomer_page
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """A wrong link under the questionnaire's addresses: the newcomer's page, in their language."""
    return not_found(request)
