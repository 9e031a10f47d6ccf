"""A survey's links as people are shown them: the address, the response counts, and whether a QR
code and a poster are offered. The builder's links page and a partner's workspace read these."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from integration_mapping.languages import SURVEY_LANGUAGES
from surveys.models import Channel, ChannelKind, Response, ResponseStatus, Survey, SurveyState
from tenants.access import Access, Level
from tenants.models import PartnerOrganisation


def channel_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("respond_entry", kwargs={"token": token}))


def response_counts(queryset: QuerySet[Response], key: str) -> dict[int, dict[str, int]]:
    """Started and completed responses, per value of ``key`` (e.g. channel id)."""
    rows = queryset.values(key).annotate(
        started=Count("pk"), completed=Count("pk", filter=Q(status=ResponseStatus.COMPLETED))
    )
    return {row[key]: {"started": row["started"], "completed": row["completed"]} for row in rows}


def print_refusal(channel: Channel, *, for_partner: bool) -> str | None:
    """Why no QR code or poster is made for ``channel`` now, or None when one may be.

    A closed survey's link takes no more answers, so a QR code or poster for it helps nobody:
    refused to everyone. A partner prints only a link that takes answers now (the survey open and
    the link switched on); staff may still prepare one before the survey opens. An interview
    channel's link opens nothing (answers come in through a signed-in person): it is never shown.
    """
    if channel.kind == ChannelKind.INTERVIEW:
        return _("Answers through this channel are entered by a signed-in officer or partner member: it has no link.")
    now = channel.survey.state_now
    if now.state == SurveyState.CLOSED:
        return _("This survey is closed: this link no longer accepts answers.")
    if for_partner and now.state == SurveyState.SCHEDULED:
        return _("This survey is not open yet: this link accepts answers from %(date)s.") % {
            "date": date_format(now.day)
        }
    if for_partner and not channel.active:
        return _("This link has been switched off: it does not accept answers.")
    return None


def channel_rows(request: HttpRequest, channels: Iterable[Channel], *, for_partner: bool = False) -> list[dict]:
    """Each channel with its link (None for an interview channel), its started and completed counts,
    and whether a QR code and a poster are offered. One query for the counts, whatever the number of
    channels."""
    channels = list(channels)
    counts = response_counts(Response.objects.filter(channel__in=channels), "channel_id")
    return [
        {
            "channel": channel,
            "counts": counts.get(channel.pk, {}),
            "url": channel_url(request, channel.token) if channel.kind != ChannelKind.INTERVIEW else None,
            "printable": print_refusal(channel, for_partner=for_partner) is None,
        }
        for channel in channels
    ]


def may_interview(access: Access) -> bool:
    """Who may answer a survey on a newcomer's behalf: the municipality's editors and administrators,
    and members of a partner organisation (through their organisation's own channel). Viewers only
    read: they add no answers."""
    return access.is_partner or access.allows(Level.EDITOR)


def interview_offer(access: Access, survey: Survey) -> dict | None:
    """What the interview card offers this person on ``survey``, or None when it offers nothing: the
    survey's languages and, for a member of several partner organisations, those organisations."""
    if not may_interview(access) or not survey.accepts_responses():
        return None
    organisations = []
    if len(access.partner_ids) > 1:
        organisations = list(PartnerOrganisation.objects.filter(pk__in=access.partner_ids).order_by("name"))
    return {
        "languages": [(code, SURVEY_LANGUAGES[code][0]) for code in survey.languages],
        "organisations": organisations,
    }


def links_page(survey: Survey, *, partner: bool) -> str:
    """Where a person finds a survey's links: a partner's workspace, or the survey's links page."""
    if partner:
        return reverse("partner_workspace", kwargs={"slug": survey.municipality.slug}) + "#links"
    return reverse("channel_list", kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})
