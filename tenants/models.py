"""Tenants and the people in them.

A municipality owns all survey data. People belong to a municipality with a role, or to a partner
organisation; a partnership gives a partner some of a municipality's indicators. Reads of tenant
data go through ``tenants.access``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integration_mapping.languages import SURVEY_LANGUAGES

MIN_GROUP_SIZE_FLOOR = 5
DEFAULT_MIN_GROUP_SIZE = 10


class User(AbstractUser):
    """A staff person: policy officer or partner employee. Newcomers never have an account."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


def default_survey_languages() -> list[str]:
    return ["nl", "en"]


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def for_user(self, user: User) -> MunicipalityQuerySet:
        """Municipalities the user works for, directly or through a partner organisation."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(memberships__user=user) | Q(partnerships__partner__members__user=user)).distinct()


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in web addresses"), max_length=60, unique=True)
    vision = models.TextField(
        _("vision on integration"),
        blank=True,
        help_text=_("In your own words: what integration means here, and what counts as success."),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR)],
        help_text=_("No figure is shown for a group with fewer respondents than this (at least 5)."),
    )
    survey_languages = models.JSONField(_("survey languages"), default=default_survey_languages)
    own_indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="+",
        verbose_name=_("indicators the municipality covers itself"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="municipality_min_group_size_at_least_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        languages = self.survey_languages
        if not isinstance(languages, list) or not languages:
            raise ValidationError({"survey_languages": _("Choose at least one survey language.")})
        unknown = [code for code in languages if code not in SURVEY_LANGUAGES]
        if unknown:
            raise ValidationError(
                {"survey_languages": _("Unknown language code: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}}
            )


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    EDITOR = "editor", _("editor")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("municipality")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="membership_one_per_user_and_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class PartnerKind(models.TextChoices):
    LANGUAGE_SCHOOL = "language_school", _("language school")
    WELFARE = "welfare", _("welfare organisation")
    VOLUNTEER = "volunteer", _("volunteer initiative")
    CONTRACT_PARTNER = "contract_partner", _("contract partner")
    OTHER = "other", _("other")


class PartnerOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partner_memberships", verbose_name=_("user"))
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="members", verbose_name=_("partner organisation")
    )

    class Meta:
        verbose_name = _("partner membership")
        verbose_name_plural = _("partner memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="partner_membership_one_per_user_and_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.partner}"


class Partnership(models.Model):
    """A partner organisation works with a municipality on some of its indicators."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("partner organisation"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("municipality")
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", blank=True, related_name="+", verbose_name=_("assigned indicators")
    )

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "municipality"], name="partnership_one_per_partner_and_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.municipality}"


class AuditAction(models.TextChoices):
    EXPORT = "export", _("export")


class AuditEvent(models.Model):
    """Who did what, and when, in a municipality: append-only (nothing in the product changes or
    deletes these rows), written in the same transaction as the act it records."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="audit_events", verbose_name=_("municipality")
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who"))
    action = models.CharField(_("what"), max_length=30, choices=AuditAction.choices)
    # What exactly, e.g. {"survey": "<public id>", "export": "answers", "format": "csv", "query": "by=..."}.
    detail = models.JSONField(_("details"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
