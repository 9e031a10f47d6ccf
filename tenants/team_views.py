"""Team and partners, managed by a municipality's administrators; accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tenants import services
from tenants.access import Access, Level, get_access, resolve_access
from tenants.models import PartnerAssignment, PartnerKind, Partnership, Role, StaffInvitation
from tenants.team_forms import (
    AcceptInvitationForm,
    AssignmentForm,
    EndPartnershipForm,
    InviteForm,
    MemberForm,
    MemberRoleForm,
    PartnerForm,
    PartnerInviteForm,
)

# Signing in right after accepting: the password was just set, so no backend needs to check it.
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _mail_failed() -> str:
    return _("The e-mail could not be sent, so nothing was changed. Try again later.")


def _open_invitations(access: Access):
    return StaffInvitation.objects.filter(
        municipality=access.municipality, accepted_at=None, withdrawn_at=None
    ).select_related("invited_by")


# Team


def _team_page(
    request: HttpRequest, access: Access, *, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    municipality = access.municipality
    context = {
        "access": access,
        "municipality": municipality,
        "members": municipality.memberships.select_related("user").order_by("user__first_name", "user__username"),
        "invitations": _open_invitations(access).filter(partner=None),
        "invite_form": invite_form or InviteForm(),
        "roles": Role.choices,
    }
    return render(request, "tenants/team.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitation, _link = services.invite(
                municipality=access.municipality, email=email, role=Role(form.cleaned_data["role"]), by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        except OSError:
            form.add_error(None, _mail_failed())
        else:
            if invitation is None:
                messages.success(request, _("%(email)s already had an account and has been added.") % {"email": email})
            else:
                messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": email})
            return redirect("team", slug=slug)
    return _team_page(request, access, invite_form=form, status=400 if form.errors else 200)


def _member_form(request: HttpRequest, form: MemberForm) -> bool:
    """Whether the form is valid; a member who is not of this municipality is a 404."""
    if form.is_valid():
        return True
    if "member" in form.errors:
        raise Http404("No such member.")
    return False


def _after_team_change(request: HttpRequest, access: Access) -> HttpResponse:
    """Back to the team page, or elsewhere if the administrator just changed their own standing."""
    now = resolve_access(request.user, access.municipality)
    if now is None:
        return redirect("home")
    if not now.allows(Level.ADMINISTRATOR):
        return redirect("municipality", slug=access.municipality.slug)
    return redirect("team", slug=access.municipality.slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    form = MemberRoleForm(request.POST, municipality=access.municipality)
    if not _member_form(request, form):
        messages.error(request, _("Choose one of the roles."))
        return _team_page(request, access, status=400)
    membership, role = form.cleaned_data["member"], Role(form.cleaned_data["role"])
    try:
        services.change_role(membership=membership, role=role, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("team", slug=slug)
    name = membership.user.display_name
    messages.success(request, _("%(name)s is now %(role)s.") % {"name": name, "role": role.label})
    return _after_team_change(request, access)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    form = MemberForm(request.POST, municipality=access.municipality)
    if not _member_form(request, form):  # (the member is its only field)
        return _team_page(request, access, status=400)
    membership = form.cleaned_data["member"]
    try:
        services.remove_member(membership=membership, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("team", slug=slug)
    name = membership.user.display_name
    messages.success(request, _("%(name)s has been removed from the team.") % {"name": name})
    return _after_team_change(request, access)


# Invitations (of the team and of partners)


def _get_invitation(request: HttpRequest, slug: str, public_id: str) -> StaffInvitation:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    return get_object_or_404(
        StaffInvitation.objects.select_related("municipality", "partner"),
        municipality=access.municipality,
        public_id=public_id,
    )


def _back_from(invitation: StaffInvitation) -> HttpResponse:
    if invitation.partner is not None:
        return redirect("partner_detail", slug=invitation.municipality.slug, public_id=invitation.partner.public_id)
    return redirect("team", slug=invitation.municipality.slug)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    invitation = _get_invitation(request, slug, public_id)
    try:
        services.withdraw_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return _back_from(invitation)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    invitation = _get_invitation(request, slug, public_id)
    try:
        services.resend_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    except OSError:
        messages.error(request, _mail_failed())
    else:
        messages.success(
            request,
            _("The invitation has been sent to %(email)s again; the earlier link no longer works.")
            % {"email": invitation.email},
        )
    return _back_from(invitation)


# Partners


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    municipality = access.municipality
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_partner(
                municipality=municipality,
                name=form.cleaned_data["name"],
                kind=PartnerKind(form.cleaned_data["kind"]),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            name = added.partnership.partner.name
            if added.restarted:
                text = _("The partnership with %(name)s has started again.")
            elif added.linked:
                text = _("%(name)s already existed (it may work with another municipality) and has been linked.")
            else:
                text = _("%(name)s has been added. Now assign its indicators and invite its members.")
            messages.success(request, text % {"name": name})
            return redirect("partner_detail", slug=slug, public_id=added.partnership.partner.public_id)
    open_invitations = Q(
        partner__invitations__municipality=municipality,
        partner__invitations__accepted_at=None,
        partner__invitations__withdrawn_at=None,
        partner__invitations__expires_at__gt=timezone.now(),
    )
    partnerships = (
        Partnership.objects.filter(municipality=municipality)
        .select_related("partner")
        .prefetch_related(
            Prefetch("assignments", PartnerAssignment.objects.select_related("indicator").order_by("indicator__number"))
        )
        .annotate(
            member_count=Count("partner__members", distinct=True),
            pending_count=Count("partner__invitations", filter=open_invitations, distinct=True),
        )
        .order_by("partner__name")
    )
    context = {
        "access": access,
        "municipality": municipality,
        "active": [partnership for partnership in partnerships if partnership.is_active],
        "ended": [partnership for partnership in partnerships if not partnership.is_active],
        "form": form,
    }
    return render(request, "tenants/partners.html", context, status=400 if form.errors else 200)


def _get_partnership(request: HttpRequest, slug: str, public_id: str) -> tuple[Access, Partnership]:
    """A partnership of this municipality (ended ones too); another municipality's partner is a 404."""
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    partnership = get_object_or_404(
        Partnership.objects.select_related("partner", "municipality"),
        municipality=access.municipality,
        partner__public_id=public_id,
    )
    return access, partnership


def _assignment_form(access: Access, partnership: Partnership, data=None) -> AssignmentForm:
    return AssignmentForm(
        data,
        indicators=list(access.indicators()),
        assignments=list(partnership.assignments.all()),
    )


def _partner_page(
    request: HttpRequest,
    access: Access,
    partnership: Partnership,
    *,
    assignment_form: AssignmentForm | None = None,
    invite_form: PartnerInviteForm | None = None,
    end_form: EndPartnershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    partner = partnership.partner
    context = {
        "access": access,
        "municipality": access.municipality,
        "partnership": partnership,
        "partner": partner,
        "assignment_form": assignment_form or _assignment_form(access, partnership),
        "invite_form": invite_form or PartnerInviteForm(),
        "end_form": end_form or EndPartnershipForm(),
        "members": partner.members.select_related("user").order_by("user__first_name", "user__username"),
        "invitations": _open_invitations(access).filter(partner=partner),
    }
    return render(request, "tenants/partner_detail.html", context, status=status)


def _refuse_if_ended(request: HttpRequest, partnership: Partnership) -> HttpResponse | None:
    if partnership.is_active:
        return None
    messages.error(request, _("This partnership has ended. Start it again to change it."))
    return redirect("partner_detail", slug=partnership.municipality.slug, public_id=partnership.partner.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def partner_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, partnership = _get_partnership(request, slug, public_id)
    if request.method == "GET":
        return _partner_page(request, access, partnership)
    if refused := _refuse_if_ended(request, partnership):
        return refused
    form = _assignment_form(access, partnership, request.POST)
    if form.is_valid():
        try:
            changed = services.set_assignments(partnership=partnership, notes=form.notes(), by=request.user)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("The indicators have been saved.") if changed else _("Nothing was changed."))
        return redirect("partner_detail", slug=slug, public_id=public_id)
    return _partner_page(request, access, partnership, assignment_form=form, status=400)


@login_required
@require_POST
def partner_invite(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, partnership = _get_partnership(request, slug, public_id)
    if refused := _refuse_if_ended(request, partnership):
        return refused
    form = PartnerInviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitation, _link = services.invite(
                municipality=access.municipality, email=email, partner=partnership.partner, by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        except OSError:
            form.add_error(None, _mail_failed())
        else:
            if invitation is None:
                text = _("%(email)s already had an account and has been added to %(partner)s.")
            else:
                text = _("An invitation to join %(partner)s has been sent to %(email)s.")
            messages.success(request, text % {"email": email, "partner": partnership.partner.name})
            return redirect("partner_detail", slug=slug, public_id=public_id)
    return _partner_page(request, access, partnership, invite_form=form, status=400)


@login_required
@require_POST
def partner_end(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, partnership = _get_partnership(request, slug, public_id)
    if refused := _refuse_if_ended(request, partnership):
        return refused
    form = EndPartnershipForm(request.POST)
    if not form.is_valid():
        return _partner_page(request, access, partnership, end_form=form, status=400)
    try:
        services.end_partnership(partnership=partnership, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("partner_detail", slug=slug, public_id=public_id)
    messages.success(
        request,
        _("The partnership with %(name)s has ended. Its members no longer have access.")
        % {"name": partnership.partner.name},
    )
    return redirect("partners", slug=slug)


# Accepting an invitation (no account needed)


def _invalid_invitation(request: HttpRequest) -> HttpResponse:
    """Used, expired, withdrawn and unknown links all get this same page."""
    return render(request, "tenants/invitation_invalid.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.open_invitation(token)
    if invitation is None:
        return _invalid_invitation(request)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            accepted = services.accept_invitation(
                token=token,
                user=request.user if signed_in else None,
                first_name=form.cleaned_data["first_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if accepted is None:
                return _invalid_invitation(request)
            if not signed_in:
                login(request, accepted.accepted_by, backend=SIGN_IN_BACKEND)
            messages.success(request, _("Welcome! You now work with %(name)s.") % {"name": accepted.municipality.name})
            return redirect("municipality", slug=accepted.municipality.slug)
    context = {
        "invitation": invitation,
        "form": form,
        "account_exists": not signed_in and services.find_account(invitation.email) is not None,
        "username": invitation.email.lower(),
    }
    return render(request, "tenants/accept_invitation.html", context, status=400 if form and form.errors else 200)
