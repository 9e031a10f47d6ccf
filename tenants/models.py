"""Tenants and the people in them.

A municipality owns all survey data. People belong to a municipality with a role, or to a partner
organisation; a partnership gives a partner some of a municipality's indicators. Reads of tenant
data go through ``tenants.access``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_mapping.languages import SURVEY_LANGUAGES
from integration_mapping.tokens import new_public_id

MIN_GROUP_SIZE_FLOOR = 5
DEFAULT_MIN_GROUP_SIZE = 10


class User(AbstractUser):
    """A staff person: policy officer or partner employee. Newcomers never have an account."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        """The name shown to colleagues and kept in the history: the full name, else the username."""
        return self.get_full_name() or self.username


def default_survey_languages() -> list[str]:
    return ["nl", "en"]


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def for_user(self, user: User) -> MunicipalityQuerySet:
        """Municipalities the user works for, directly or through a partner organisation."""
        if not user.is_authenticated:
            return self.none()
        partner = Q(partnerships__partner__members__user=user, partnerships__ended_at__isnull=True)
        return self.filter(Q(memberships__user=user) | partner).distinct()


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120)
    # The name in the survey languages, where it is written differently (e.g. in Arabic script).
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
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

    def name_in(self, language: str) -> str:
        """The name as newcomers in ``language`` read it: the officer's translation, or the name."""
        return ((self.names or {}).get(language) or "").strip() or self.name

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
    """An organisation of civil society. One organisation can work with several municipalities."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)

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


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def active(self) -> PartnershipQuerySet:
        return self.filter(ended_at__isnull=True)


class Partnership(models.Model):
    """A partner organisation works with a municipality on some of its indicators.

    Ending a partnership keeps the row (with ``ended_at``), so what its members wrote keeps the
    organisation's name; its members lose access at once, because access reads only active ones.
    """

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
        "indicators.Indicator",
        blank=True,
        through="PartnerAssignment",
        related_name="+",
        verbose_name=_("assigned indicators"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

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

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class PartnerAssignmentQuerySet(models.QuerySet["PartnerAssignment"]):
    def current(self, municipality: Municipality) -> PartnerAssignmentQuerySet:
        """The assignments of the municipality's partnerships that have not ended."""
        return self.filter(partnership__municipality=municipality, partnership__ended_at=None)


class PartnerAssignment(models.Model):
    """One indicator assigned to a partner, with a short note on what the partner does for it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(
        _("what the partner does for it"),
        max_length=300,
        blank=True,
        help_text=_("For example: language classes at level A1 to B1, twice a week."),
    )

    objects = PartnerAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assigned indicator")
        verbose_name_plural = _("assigned indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "indicator"], name="partner_assignment_one_per_partnership_and_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.indicator_id}"


INVITATION_DAYS = 7


class InvitationState(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    EXPIRED = "expired", _("expired")
    ACCEPTED = "accepted", _("accepted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class StaffInvitation(models.Model):
    """An e-mail invitation to join a municipality with a role, or a partner organisation.

    The link's token is stored only as a hash; sending again makes a new token, so an older link
    stops working. Newcomers are never invited this way (see surveys.Invitation).
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="staff_invitations", verbose_name=_("municipality")
    )
    # Set for an invitation to join a partner organisation; then ``role`` is empty.
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("partner organisation"),
    )
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=True) & ~Q(role="")) | (Q(partner__isnull=False) & Q(role="")),
                name="staff_invitation_role_or_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.partner or self.municipality}"

    @staticmethod
    def expiry(sent_at: datetime) -> datetime:
        return sent_at + timedelta(days=INVITATION_DAYS)

    def state(self, now: datetime | None = None) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationState.WITHDRAWN
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING


class VisionVersion(models.Model):
    """One written version of a municipality's vision on integration. Every edit adds a version;
    the newest is the current one (``Municipality.vision`` holds its statement for display)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="vision_versions", verbose_name=_("municipality")
    )
    statement = models.TextField(_("our vision in a few sentences"))
    # The answers to the source document's prompts (tenants.forms.VISION_PROMPTS), by prompt key.
    answers = models.JSONField(_("answers to the guiding questions"), default=dict, blank=True)
    written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept so the history stays readable after an account is removed.
    written_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("version of the vision")
        verbose_name_plural = _("versions of the vision")

    def __str__(self) -> str:
        return f"{self.municipality} {self.created_at:%Y-%m-%d %H:%M}"


class AuditAction(models.TextChoices):
    EXPORT = "export", _("export")
    PUBLISH = "publish", _("survey published")
    CLOSE = "close", _("survey closed")
    REOPEN = "reopen", _("survey reopened")
    MEMBER_ADD = "member_add", _("member added")
    ROLE_CHANGE = "role_change", _("role changed")
    MEMBER_REMOVE = "member_remove", _("member removed")
    PARTNER_ADD = "partner_add", _("partnership started")
    PARTNER_END = "partner_end", _("partnership ended")
    ASSIGNMENT_CHANGE = "assignment_change", _("indicators assigned")
    INVITATION_SEND = "invitation_send", _("invitation sent")
    INVITATION_ACCEPT = "invitation_accept", _("invitation accepted")
    INVITATION_WITHDRAW = "invitation_withdraw", _("invitation withdrawn")
    VISION_EDIT = "vision_edit", _("vision edited")
    OBSERVATION_DELETE = "observation_delete", _("observation deleted")
    RAW_ANSWERS_DELETE = "raw_answers_delete", _("raw answers deleted, results frozen")


class AuditEvent(models.Model):
    """Who did what, and when, in a municipality: append-only (nothing in the product changes or
    deletes these rows), written in the same transaction as the act it records."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="audit_events", verbose_name=_("municipality")
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who"))
    # Kept so the record stays readable after an account is removed.
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=30, choices=AuditAction.choices)
    # What exactly, e.g. {"survey": "<public id>", "export": "answers", "format": "csv", "query": "by=..."}.
    detail = models.JSONField(_("details"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
