"""The coverage map: who covers which indicator, where the blind spots are, and what the latest
wave has on each indicator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integration_mapping.routers import report_reads
from reports.coverage import OwnIndicatorsForm, build_coverage_map, coverage_circle
from tenants.access import Level, get_access
from tenants.services import set_own_indicators


@login_required
@require_http_methods(["GET", "POST"])
@report_reads()
def coverage_map(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.VIEWER)
    form = None
    if request.method == "POST":
        if not access.allows(Level.ADMINISTRATOR):
            raise PermissionDenied
        form = OwnIndicatorsForm(request.POST)
        if form.is_valid():
            set_own_indicators(municipality=access.municipality, codes=form.codes(), by=request.user)
            messages.success(request, _("The indicators the municipality covers itself have been saved."))
            return redirect("coverage", slug=slug)
    found = build_coverage_map(access)
    if form is None and access.allows(Level.ADMINISTRATOR):
        own = [line.indicator for line in found.lines if line.coverage.by_municipality]
        form = OwnIndicatorsForm(initial={"indicators": own})
    rows = [line.coverage for line in found.lines]
    context = {
        "access": access,
        "municipality": access.municipality,
        "map": found,
        "figure": coverage_circle(rows, municipality_name=access.municipality.name),
        "form": form,
    }
    return render(request, "reports/coverage.html", context, status=400 if form is not None and form.errors else 200)
