"""Observations: what officers and partners saw and heard, beside the figures.

Who sees and who may change what is decided in observations.access, nowhere else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from observations import services
from observations.access import (
    can_add,
    can_change,
    can_select_for_report,
    get_observation,
    visible_observations,
)
from observations.forms import ObservationFilterForm, ObservationForm
from tenants.access import Level, get_access

PAGE_SIZE = 20


def _back(request: HttpRequest, slug: str) -> str:
    """Where to return after an act: the page it was started from if that is ours, else the list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("observation_list", kwargs={"slug": slug})


@login_required
def observation_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.PARTNER)
    observations = visible_observations(access)
    organisations = list(
        observations.order_by("organisation_name").values_list("organisation_name", flat=True).distinct()
    )
    filters = ObservationFilterForm(request.GET, indicators=list(access.indicators()), organisations=organisations)
    if not filters.is_valid():
        return render(request, "400.html", {"message": filters.error_text()}, status=400)
    page = Paginator(filters.apply(observations), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "access": access,
        "municipality": access.municipality,
        "filters": filters,
        "page": page,
        "rows": [(observation, can_change(access, observation)) for observation in page],
        "query": query.urlencode(),
        "can_add": can_add(access),
        "can_select": can_select_for_report(access),
    }
    return render(request, "observations/observation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observation_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, need=Level.PARTNER)
    if not can_add(access):
        raise PermissionDenied
    initial = {}
    code = request.GET.get("indicator")
    if code:
        initial["indicators"] = list(access.indicators().filter(code=code))
    form = ObservationForm(request.POST or None, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.create_observation(
            municipality=access.municipality, partner=form.partner(), by=request.user, **form.values()
        )
        messages.success(request, _("The observation has been added."))
        return redirect(_back(request, slug))
    context = {"municipality": access.municipality, "form": form, "next": _back(request, slug)}
    return render(request, "observations/observation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, observation = get_observation(request, slug, public_id, need=Level.PARTNER)
    if not can_change(access, observation):
        raise PermissionDenied
    form = ObservationForm(request.POST or None, access=access, observation=observation)
    if request.method == "POST" and form.is_valid():
        services.update_observation(observation=observation, by=request.user, **form.values())
        messages.success(request, _("The observation has been saved."))
        return redirect(_back(request, slug))
    context = {
        "municipality": access.municipality,
        "form": form,
        "observation": observation,
        "next": _back(request, slug),
    }
    return render(request, "observations/observation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observation_delete(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, observation = get_observation(request, slug, public_id, need=Level.PARTNER)
    if not can_change(access, observation):
        raise PermissionDenied
    if request.method == "POST":
        services.delete_observation(observation=observation, by=request.user)
        messages.success(request, _("The observation has been deleted."))
        return redirect("observation_list", slug=slug)
    context = {"municipality": access.municipality, "observation": observation}
    return render(request, "observations/observation_delete.html", context)


@login_required
@require_POST
def observation_report(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, observation = get_observation(request, slug, public_id, need=Level.PARTNER)
    if not can_select_for_report(access):
        raise PermissionDenied
    choice = request.POST.get("in_report")
    if choice not in ("0", "1"):
        return render(request, "400.html", {"message": _("Say whether it goes in the report: 1 or 0.")}, status=400)
    in_report = choice == "1"
    services.set_in_report(observation=observation, in_report=in_report, by=request.user)
    if in_report:
        messages.success(request, _("“%(title)s” will be in the printed report.") % {"title": observation.title})
    else:
        messages.success(request, _("“%(title)s” is no longer in the printed report.") % {"title": observation.title})
    return redirect(_back(request, slug))
