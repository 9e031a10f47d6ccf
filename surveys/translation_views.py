"""A translator's round trip: the texts of one language as XLSX, and back.

Uploading shows what would change; only a second POST applies it, carrying the uploaded texts
signed (so they cannot be altered in between) with a fingerprint of the texts they were compared
with (so a change made meanwhile is never overwritten unseen).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from surveys import translation_files
from surveys.access import get_survey
from surveys.forms import TextsForm
from surveys.models import Survey
from tenants.access import Access, Level

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_MAX_AGE = 60 * 60  # seconds an upload's preview can be confirmed


def _survey_for_language(request: HttpRequest, slug: str, public_id: str, language: str) -> tuple[Access, Survey]:
    access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    if language not in survey.languages:
        raise Http404("The survey is not offered in this language.")
    return access, survey


def _salt(survey: Survey, language: str) -> str:
    return f"surveys.texts_upload:{survey.public_id}:{language}"


@login_required
def texts_download(request: HttpRequest, slug: str, public_id: str, language: str) -> HttpResponse:
    _access, survey = _survey_for_language(request, slug, public_id, language)
    response = HttpResponse(translation_files.workbook_bytes(survey, language), content_type=XLSX)
    # Only ASCII letters, digits and dashes: nothing a header or a file system could misread.
    title = slugify(survey.display_title)[:40] or "survey"
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{title}-{language}-{survey.public_id}-{day}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def texts_upload(request: HttpRequest, slug: str, public_id: str, language: str) -> HttpResponse:
    access, survey = _survey_for_language(request, slug, public_id, language)
    context = {
        "municipality": access.municipality,
        "survey": survey,
        "language": language,
        "language_name": translation_files.language_name(language),
        "rtl": translation_files.is_rtl(language),
        "max_mb": translation_files.MAX_BYTES // (1024 * 1024),
    }
    if request.method == "GET":
        return render(request, "surveys/texts_upload.html", context)
    if "payload" in request.POST:
        return _confirm(request, survey, language, context)
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, context, [_("Choose the filled-in file to upload.")])
    try:
        texts = translation_files.read_upload(survey, language, upload)
    except ValidationError as error:
        return _refused(request, context, error.messages)
    form = TextsForm(survey=survey, language=language)
    changes = translation_files.changes(form, texts)
    payload = signing.dumps(
        {"fingerprint": translation_files.fingerprint(form), "texts": {change.key: change.after for change in changes}},
        salt=_salt(survey, language),
        compress=True,
    )
    return render(request, "surveys/texts_upload.html", {**context, "changes": changes, "payload": payload})


def _confirm(request: HttpRequest, survey: Survey, language: str, context: dict) -> HttpResponse:
    upload_again = _("This preview can no longer be applied: upload the file again.")
    try:
        payload = signing.loads(request.POST["payload"], salt=_salt(survey, language), max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return _refused(request, context, [upload_again])
    form = TextsForm(survey=survey, language=language)
    payload = payload if isinstance(payload, dict) else {}
    texts = payload.get("texts")
    if payload.get("fingerprint") != translation_files.fingerprint(form) or not isinstance(texts, dict):
        changed = _("The texts have changed since the file was uploaded: upload the file again.")
        return _refused(request, context, [changed])
    bound = TextsForm(translation_files.form_data(form, texts), survey=survey, language=language)
    if not bound.is_valid():
        return _refused(request, context, [upload_again])
    try:
        bound.save(editor=request.user)
    except ValidationError as error:
        return _refused(request, context, error.messages)
    count = len(texts)
    messages.success(
        request,
        ngettext("%(count)s text has been changed.", "%(count)s texts have been changed.", count) % {"count": count},
    )
    return redirect(
        reverse("survey_translations", kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})
    )


def _refused(request: HttpRequest, context: dict, problems: list[str]) -> HttpResponse:
    """The upload page again, with what is wrong; nothing has been stored."""
    return render(request, "surveys/texts_upload.html", {**context, "problems": problems}, status=400)
