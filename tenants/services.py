"""Writes that touch several tenant models at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Q, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from integration_mapping.tokens import hash_token, new_token
from tenants.models import (
    AuditAction,
    AuditEvent,
    InvitationState,
    Membership,
    Municipality,
    PartnerAssignment,
    PartnerKind,
    PartnerMembership,
    PartnerOrganisation,
    Partnership,
    Role,
    StaffInvitation,
    User,
    VisionVersion,
)


def ensure_user(*, username: str, password: str, email: str = "", first_name: str = "") -> User:
    """Create the user, or reset the password of an existing one (used by the demo and the tests)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email, "first_name": first_name})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def add_member(*, municipality: Municipality, user: User, role: Role) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    return membership


@transaction.atomic
def set_own_indicators(*, municipality: Municipality, codes: list[str], by: User | None = None) -> None:
    """The indicators the municipality covers itself. A change is recorded (``by`` None: the demo
    or a test setting things up)."""
    indicators = list(Indicator.objects.in_circle_order().filter(code__in=codes))
    before = set(municipality.own_indicators.values_list("pk", flat=True))
    municipality.own_indicators.set(indicators)
    added = [indicator.code for indicator in indicators if indicator.pk not in before]
    kept = {indicator.pk for indicator in indicators}
    removed = list(Indicator.objects.in_circle_order().filter(pk__in=before - kept).values_list("code", flat=True))
    if added or removed:
        # "municipality" names the tenant in record(): the detail says "by_municipality" instead.
        record(
            municipality=municipality,
            by=by,
            action=AuditAction.ASSIGNMENT_CHANGE,
            by_municipality=True,
            added=added,
            removed=removed,
        )


@transaction.atomic
def assign_partner(
    *,
    municipality: Municipality,
    partner_name: str,
    kind: PartnerKind,
    indicator_codes: list[str],
    members: list[User] = (),
) -> Partnership:
    """Create or update a partner organisation, its partnership with the municipality and its members."""
    partner, _ = PartnerOrganisation.objects.update_or_create(name=partner_name, defaults={"kind": kind})
    partnership, _ = Partnership.objects.get_or_create(partner=partner, municipality=municipality)
    partnership.indicators.set(Indicator.objects.filter(code__in=indicator_codes))
    for user in members:
        PartnerMembership.objects.get_or_create(user=user, partner=partner)
    return partnership


@transaction.atomic
def save_vision(*, municipality: Municipality, statement: str, answers: dict[str, str], by: User) -> VisionVersion:
    """A new version of the vision: every earlier one is kept, with who wrote it and when."""
    version = VisionVersion.objects.create(
        municipality=municipality,
        statement=statement,
        answers=answers,
        written_by=by,
        written_by_name=by.display_name,
    )
    municipality.vision = statement
    municipality.save(update_fields=["vision"])
    record(municipality=municipality, by=by, action=AuditAction.VISION_EDIT)
    return version


def record(*, municipality: Municipality, by: User | None, action: str, **detail: object) -> AuditEvent:
    """Write one audit record. Call it inside the transaction of the act it records."""
    actor_name = by.display_name if by is not None else ""
    return AuditEvent.objects.create(
        municipality=municipality, actor=by, actor_name=actor_name, action=action, detail=detail
    )


# Team and partners: invitations, roles, partnerships. Every act here is audited.

ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMINISTRATOR: 3}


def invitation_link(token: str) -> str:
    """Built from the configured site address, never from a request's Host header."""
    return settings.SITE_URL + reverse("accept_invitation", kwargs={"token": token})


def municipality_link(municipality: Municipality) -> str:
    return settings.SITE_URL + reverse("municipality", kwargs={"slug": municipality.slug})


def _mail(*, template: str, to: str, context: dict[str, object]) -> None:
    subject = " ".join(render_to_string(f"tenants/email/{template}_subject.txt", context).split())
    body = render_to_string(f"tenants/email/{template}_body.txt", context)
    send_mail(subject, body, None, [to])


def _what(invitation: StaffInvitation) -> dict[str, str]:
    """What an invitation is for, as audit detail."""
    if invitation.partner is not None:
        return {"email": invitation.email, "partner": invitation.partner.name}
    return {"email": invitation.email, "role": invitation.role}


def find_account(email: str) -> User | None:
    """The account of this e-mail address: one signed up through an invitation (username = e-mail)
    first, else the oldest with that address."""
    return (
        User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .order_by(Case(When(username__iexact=email, then=0), default=1), "pk")
        .first()
    )


def _require_active_partnership(municipality: Municipality, partner: PartnerOrganisation) -> None:
    if not Partnership.objects.active().filter(municipality=municipality, partner=partner).exists():
        raise ValidationError(_("%(partner)s no longer works with you.") % {"partner": partner.name})


@transaction.atomic
def invite(
    *,
    municipality: Municipality,
    email: str,
    role: Role | None = None,
    partner: PartnerOrganisation | None = None,
    by: User,
) -> tuple[StaffInvitation | None, str | None]:
    """Invite a colleague with ``role``, or a member of ``partner``, by e-mail.

    Someone who has an account already is added at once and told so (returns ``(None, None)``);
    anyone else gets a single-use link (returns the invitation and that link). A pending invitation
    for the same address replaces the older one, whose link stops working. The e-mail is sent last,
    inside the transaction: if it cannot be sent, nothing is stored.
    """
    if (role is None) == (partner is None):
        raise ValueError("Invite either with a role or to a partner organisation.")
    email = email.strip().lower()
    if partner is not None:
        _require_active_partnership(municipality, partner)
    account = find_account(email)
    if account is not None:
        _add_existing_account(municipality=municipality, account=account, role=role, partner=partner, by=by)
        return None, None
    now = timezone.now()
    StaffInvitation.objects.filter(
        municipality=municipality, partner=partner, email__iexact=email, accepted_at=None, withdrawn_at=None
    ).update(withdrawn_at=now)
    token = new_token()
    invitation = StaffInvitation.objects.create(
        municipality=municipality,
        partner=partner,
        email=email,
        role=role or "",
        token_hash=hash_token(token),
        invited_by=by,
        sent_at=now,
        expires_at=StaffInvitation.expiry(now),
    )
    record(municipality=municipality, by=by, action=AuditAction.INVITATION_SEND, **_what(invitation))
    link = invitation_link(token)
    _send_invitation(invitation, link)
    return invitation, link


def _add_existing_account(
    *, municipality: Municipality, account: User, role: Role | None, partner: PartnerOrganisation | None, by: User
) -> None:
    if partner is not None:
        _membership, created = PartnerMembership.objects.get_or_create(user=account, partner=partner)
        if not created:
            raise ValidationError(
                _("%(email)s is already a member of %(partner)s.") % {"email": account.email, "partner": partner.name}
            )
        detail = {"email": account.email, "user": account.username, "partner": partner.name}
    else:
        _membership, created = Membership.objects.get_or_create(
            user=account, municipality=municipality, defaults={"role": role}
        )
        if not created:
            raise ValidationError(_("%(email)s is already on the team.") % {"email": account.email or account.username})
        detail = {"email": account.email, "user": account.username, "role": role}
    record(municipality=municipality, by=by, action=AuditAction.MEMBER_ADD, **detail)
    context = {
        "municipality": municipality,
        "partner": partner,
        "role": Role(role).label if role else "",
        "inviter": by.display_name,
        "account": account,
        "link": municipality_link(municipality),
    }
    _mail(template="member_added", to=account.email or account.username, context=context)


def _send_invitation(invitation: StaffInvitation, link: str) -> None:
    context = {
        "invitation": invitation,
        "municipality": invitation.municipality,
        "partner": invitation.partner,
        "role": invitation.get_role_display(),
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "link": link,
    }
    _mail(template="invitation", to=invitation.email, context=context)


def _refuse_unless_open(invitation: StaffInvitation) -> None:
    if invitation.state() not in (InvitationState.PENDING, InvitationState.EXPIRED):
        raise ValidationError(
            _("This invitation is %(state)s: it can no longer be withdrawn or sent again.")
            % {"state": invitation.state().label}
        )


@transaction.atomic
def resend_invitation(*, invitation: StaffInvitation, by: User) -> str:
    """A new link, valid for another 7 days; the old link stops working. Returns the new link."""
    invitation = StaffInvitation.objects.select_for_update(of=("self",)).select_related("partner").get(pk=invitation.pk)
    _refuse_unless_open(invitation)
    if invitation.partner is not None:
        _require_active_partnership(invitation.municipality, invitation.partner)
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = StaffInvitation.expiry(invitation.sent_at)
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "invited_by"])
    record(
        municipality=invitation.municipality,
        by=by,
        action=AuditAction.INVITATION_SEND,
        resent=True,
        **_what(invitation),
    )
    link = invitation_link(token)
    _send_invitation(invitation, link)
    return link


@transaction.atomic
def withdraw_invitation(*, invitation: StaffInvitation, by: User) -> None:
    invitation = StaffInvitation.objects.select_for_update(of=("self",)).select_related("partner").get(pk=invitation.pk)
    _refuse_unless_open(invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    record(municipality=invitation.municipality, by=by, action=AuditAction.INVITATION_WITHDRAW, **_what(invitation))


def open_invitation(token: str) -> StaffInvitation | None:
    """The invitation this link stands for, if it still works: pending, and for a partner
    invitation the partnership still active. Otherwise None, whatever the reason."""
    invitation = (
        StaffInvitation.objects.select_related("municipality", "partner").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or invitation.state() != InvitationState.PENDING:
        return None
    if invitation.partner is not None and not (
        Partnership.objects.active().filter(municipality=invitation.municipality, partner=invitation.partner).exists()
    ):
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, token: str, user: User | None = None, first_name: str = "", password: str = ""
) -> StaffInvitation | None:
    """Accept the invitation as ``user``, or as a new account (username = the invited e-mail).

    Returns None when the link no longer works; then nothing is stored. The invitation is claimed
    by one conditional UPDATE, so a second submit of the same link creates nothing.
    """
    invitation = open_invitation(token)
    if invitation is None:
        return None
    now = timezone.now()
    claimed = StaffInvitation.objects.filter(
        pk=invitation.pk, accepted_at=None, withdrawn_at=None, expires_at__gt=now
    ).update(accepted_at=now)
    if not claimed:
        return None
    if user is None:
        if find_account(invitation.email) is not None:
            raise ValidationError(_("An account with this e-mail address exists already."))
        user = User.objects.create_user(
            username=invitation.email.lower(), email=invitation.email, first_name=first_name, password=password
        )
    if invitation.partner is not None:
        PartnerMembership.objects.get_or_create(user=user, partner=invitation.partner)
    else:
        membership, created = Membership.objects.get_or_create(
            user=user, municipality=invitation.municipality, defaults={"role": invitation.role}
        )
        # Accepting never lowers a role someone already has here.
        if not created and ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(municipality=invitation.municipality, by=user, action=AuditAction.INVITATION_ACCEPT, **_what(invitation))
    return invitation


def _lock_administrators(municipality: Municipality) -> list[int]:
    """Ids of the municipality's administrators, locked until the transaction ends, so two
    administrators cannot demote each other at the same moment and leave none."""
    return list(
        Membership.objects.select_for_update()
        .filter(municipality=municipality, role=Role.ADMINISTRATOR)
        .values_list("pk", flat=True)
    )


def _refuse_last_administrator(membership: Membership, administrators: list[int]) -> None:
    if membership.pk in administrators and len(administrators) == 1:
        raise ValidationError(
            _("%(name)s is the only administrator. Make someone else administrator first.")
            % {"name": membership.user.display_name}
        )


@transaction.atomic
def change_role(*, membership: Membership, role: Role, by: User) -> None:
    administrators = _lock_administrators(membership.municipality)
    membership = Membership.objects.select_for_update().select_related("user", "municipality").get(pk=membership.pk)
    if membership.role == role:
        return
    if role != Role.ADMINISTRATOR:
        _refuse_last_administrator(membership, administrators)
    record(
        municipality=membership.municipality,
        by=by,
        action=AuditAction.ROLE_CHANGE,
        user=membership.user.username,
        old=membership.role,
        new=role,
    )
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    administrators = _lock_administrators(membership.municipality)
    membership = Membership.objects.select_for_update().select_related("user", "municipality").get(pk=membership.pk)
    _refuse_last_administrator(membership, administrators)
    record(
        municipality=membership.municipality,
        by=by,
        action=AuditAction.MEMBER_REMOVE,
        user=membership.user.username,
        role=membership.role,
    )
    membership.delete()


@dataclass(frozen=True)
class PartnerAdded:
    partnership: Partnership
    # The organisation existed already (it may work with another municipality) and was linked.
    linked: bool
    # Its partnership here had ended and has started again.
    restarted: bool


@transaction.atomic
def add_partner(*, municipality: Municipality, name: str, kind: PartnerKind, by: User) -> PartnerAdded:
    """Start a partnership with a new organisation, or link the one of that name (in any case)."""
    name = " ".join(name.split())
    partner = PartnerOrganisation.objects.filter(name__iexact=name).first()
    linked = partner is not None
    if partner is None:
        partner = PartnerOrganisation.objects.create(name=name, kind=kind)
    partnership, created = Partnership.objects.select_for_update().get_or_create(
        partner=partner, municipality=municipality
    )
    restarted = not created and partnership.ended_at is not None
    if not created and not restarted:
        raise ValidationError(_("%(partner)s already works with you.") % {"partner": partner.name})
    if restarted:
        partnership.ended_at = None
        partnership.save(update_fields=["ended_at"])
    record(
        municipality=municipality,
        by=by,
        action=AuditAction.PARTNER_ADD,
        partner=partner.name,
        linked=linked,
        restarted=restarted,
    )
    return PartnerAdded(partnership, linked, restarted)


@transaction.atomic
def set_assignments(*, partnership: Partnership, notes: dict[Indicator, str], by: User) -> bool:
    """Assign exactly the indicators in ``notes``, each with its note. Returns whether anything changed."""
    partnership = Partnership.objects.select_for_update().select_related("partner").get(pk=partnership.pk)
    if not partnership.is_active:
        raise ValidationError(_("This partnership has ended."))
    current = {a.indicator_id: a for a in partnership.assignments.select_related("indicator")}
    wanted = {indicator.pk: (indicator, note.strip()) for indicator, note in notes.items()}
    removed = [current[pk] for pk in current.keys() - wanted.keys()]
    added = [PartnerAssignment(partnership=partnership, indicator=ind, note=note) for ind, note in wanted.values()]
    added = [a for a in added if a.indicator_id not in current]
    changed = [current[pk] for pk, (_i, note) in wanted.items() if pk in current and current[pk].note != note]
    if not (removed or added or changed):
        return False
    PartnerAssignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    PartnerAssignment.objects.bulk_create(added)
    for assignment in changed:
        assignment.note = wanted[assignment.indicator_id][1]
    PartnerAssignment.objects.bulk_update(changed, ["note"])
    record(
        municipality=partnership.municipality,
        by=by,
        action=AuditAction.ASSIGNMENT_CHANGE,
        partner=partnership.partner.name,
        added=sorted(a.indicator.code for a in added),
        removed=sorted(a.indicator.code for a in removed),
        notes_changed=sorted(a.indicator.code for a in changed),
    )
    return True


@transaction.atomic
def end_partnership(*, partnership: Partnership, by: User) -> None:
    """Its members lose access at once; what they wrote stays, with the organisation's name.
    Open invitations to join the organisation here are withdrawn."""
    partnership = Partnership.objects.select_for_update().select_related("partner").get(pk=partnership.pk)
    if not partnership.is_active:
        raise ValidationError(_("This partnership has ended already."))
    now = timezone.now()
    partnership.ended_at = now
    partnership.save(update_fields=["ended_at"])
    withdrawn = StaffInvitation.objects.filter(
        municipality=partnership.municipality, partner=partnership.partner, accepted_at=None, withdrawn_at=None
    ).update(withdrawn_at=now)
    record(
        municipality=partnership.municipality,
        by=by,
        action=AuditAction.PARTNER_END,
        partner=partnership.partner.name,
        invitations_withdrawn=withdrawn,
    )
