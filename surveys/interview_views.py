"""Interview mode: a signed-in officer or partner member answers on behalf of a newcomer.

The person starts here and then goes through the newcomer's own pages (respond_views), so an
interview or a paper form is the same questionnaire. The answers come in under a channel of kind
"interview / paper"; nothing about the interviewer is stored with them, nor anything that links
the two.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from surveys import services
from surveys.access import get_survey
from surveys.links import links_page, may_interview
from surveys.models import Survey
from surveys.respond_views import State
from tenants.access import Level
from tenants.models import PartnerOrganisation


class InterviewForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the questionnaire"))
    # Only for a member of several partner organisations: which one's channel the answers come in by.
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)

    def __init__(self, *args: object, survey: Survey, organisations: list[PartnerOrganisation], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, code) for code in survey.languages]
        self.fields["organisation"].choices = [(each.public_id, each.name) for each in organisations]
        self.fields["organisation"].required = len(organisations) > 1
        self.organisations = {each.public_id: each for each in organisations}

    def chosen_organisation(self) -> PartnerOrganisation | None:
        """The partner organisation the answers come in by; None for the municipality's own staff."""
        if len(self.organisations) == 1:
            return next(iter(self.organisations.values()))
        return self.organisations.get(self.cleaned_data["organisation"])


@login_required
@require_POST
def interview_start(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Open the questionnaire for an interview or a paper form: a fresh respondent in this session."""
    access, survey = get_survey(request, slug, public_id, need=Level.PARTNER)
    if not may_interview(access):
        raise PermissionDenied
    if not survey.accepts_responses():
        messages.error(request, _("This survey does not accept answers now, so no interview can be started."))
        return redirect(links_page(survey, partner=access.is_partner))
    organisations = list(PartnerOrganisation.objects.filter(pk__in=access.partner_ids).order_by("name"))
    form = InterviewForm(request.POST, survey=survey, organisations=organisations)
    if not form.is_valid():
        message = (
            _("Choose one of the survey's languages.") if "language" in form.errors else _("Choose your organisation.")
        )
        return render(request, "400.html", {"message": message}, status=400)
    channel = services.interview_channel(survey=survey, partner=form.chosen_organisation())
    State(survey, channel.pk, None, None, form.cleaned_data["language"], interview=True).save(request)
    return redirect("respond_start")
