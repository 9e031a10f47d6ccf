"""Qualitative knowledge beside the figures: what officers and partners saw and heard.

An observation belongs to a municipality and speaks to one or more indicators. It is written by
the municipality (``partner`` empty) or by a partner organisation, whose name is kept on it even
after the partnership ends.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integration_mapping.tokens import new_public_id
from tenants.models import Municipality, PartnerOrganisation

TEXT_MAX_LENGTH = 5000


class Method(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    GROUP_CONVERSATION = "group_conversation", _("group conversation")
    OBSERVATION = "observation", _("observation")
    ACTION_RESEARCH = "action_research", _("action research")
    OTHER = "other", _("other")


class Observation(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="observations", verbose_name=_("municipality")
    )
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("what you saw or heard"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    observed_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    indicators = models.ManyToManyField(
        "indicators.Indicator", related_name="+", verbose_name=_("indicators it speaks to")
    )
    # Empty when the municipality wrote it; the organisation's name is kept for when it is gone.
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=120)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    in_report = models.BooleanField(_("in the printed report"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return self.title
