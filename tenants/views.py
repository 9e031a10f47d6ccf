from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenants.access import Level, get_access, resolve_access
from tenants.coverage import coverage
from tenants.forms import VISION_PROMPTS, VisionForm
from tenants.models import Municipality


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
    rows = coverage(access)
    context = {
        "access": access,
        "municipality": access.municipality,
        "rows": rows,
        "blind_spots": [row for row in rows if row.is_blind_spot],
        "can_edit_vision": access.allows(Level.ADMINISTRATOR),
        # Results of every wave that was ever published, newest first; partners see their
        # indicators there. (Through the related manager: tenants sits below the surveys app.)
        "result_surveys": access.municipality.surveys.filter(published_at__isnull=False),
    }
    return render(request, "tenants/municipality.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_vision(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.ADMINISTRATOR)
    form = VisionForm(request.POST or None, instance=access.municipality)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The vision has been saved."))
        return redirect("municipality", slug=slug)
    context = {"municipality": access.municipality, "form": form, "prompts": VISION_PROMPTS}
    return render(request, "tenants/vision_form.html", context)
