from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenants.access import Level, get_access, resolve_access
from tenants.audit import AuditFilterForm, detail_items, names_in_log
from tenants.coverage import coverage
from tenants.forms import VisionForm
from tenants.models import AuditEvent, Municipality
from tenants.services import save_vision
from tenants.vision import answered_prompts, current_version

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: their municipality, or the list of municipalities."""
    municipalities = list(Municipality.objects.for_user(request.user))
    has_partner_role = request.user.partner_memberships.exists()
    if len(municipalities) == 1 and not has_partner_role:
        return redirect("municipality", slug=municipalities[0].slug)
    workspaces = [(municipality, resolve_access(request.user, municipality)) for municipality in municipalities]
    return render(request, "tenants/home.html", {"workspaces": workspaces})


@login_required
def municipality_home(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug)
    if access.is_partner:
        return redirect("partner_workspace", slug=slug)
    context = {
        "access": access,
        "municipality": access.municipality,
        "blind_spots": [row for row in coverage(access) if row.is_blind_spot],
        "is_administrator": access.allows(Level.ADMINISTRATOR),
        # Results of every wave that was ever published, newest first.
        # (Through the related manager: tenants sits below the surveys app.)
        "result_surveys": access.municipality.surveys.published(),
    }
    return render(request, "tenants/municipality.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_vision(request: HttpRequest, slug: str) -> HttpResponse:
    """The vision and its history for everyone in the municipality; a new version by administrators."""
    access = get_access(request, slug, need=Level.VIEWER)
    can_edit = access.allows(Level.ADMINISTRATOR)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    municipality = access.municipality
    versions = list(municipality.vision_versions.all())
    current = current_version(municipality, versions[0] if versions else None)
    form = None
    if can_edit:
        data = request.POST if request.method == "POST" else None
        # Without a current version (a vision written before versions were kept), start from its text.
        extra = {"current": current} if current is not None else {"initial": {"statement": municipality.vision}}
        form = VisionForm(data, **extra)
    if request.method == "POST" and form.is_valid():
        save_vision(
            municipality=municipality,
            statement=form.cleaned_data["statement"],
            answers=form.answers(),
            by=request.user,
        )
        messages.success(request, _("The vision has been saved."))
        return redirect("municipality", slug=slug)
    context = {
        "municipality": municipality,
        "current": current,
        "current_answers": answered_prompts(current),
        "history": [(version, answered_prompts(version)) for version in versions],
        "form": form,
    }
    return render(request, "tenants/vision_form.html", context, status=400 if form is not None and form.errors else 200)


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Who did what, and when: newest first, filtered, never changed."""
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    if request.method != "GET":
        # After the access check, so that another municipality's log answers 404 to any method.
        return HttpResponseNotAllowed(["GET"])
    municipality = access.municipality
    form = AuditFilterForm(request.GET or None, names=names_in_log(municipality))
    events = AuditEvent.objects.filter(municipality=municipality).order_by("-created_at", "-pk")
    page = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        status = 200
        page = Paginator(form.filter(events) if form.is_bound else events, AUDIT_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    context = {
        "municipality": municipality,
        "form": form,
        "page": page,
        "rows": [(event, detail_items(event.detail)) for event in page] if page is not None else [],
    }
    return render(request, "tenants/audit_log.html", context, status=status)
