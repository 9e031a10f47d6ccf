"""Brakes on password guessing: django-axes for sign-in, the cache throttle for password reset.

Neither may tell whether an account exists: axes counts unknown usernames like known ones and
refuses a locked sign-in before any password is checked; a reset request is counted by the address
typed, whether or not it belongs to an account.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from surveys import throttle


def client_key(request: HttpRequest) -> str:
    """The client as django-axes stores it: a keyed hash of its address, not the address.

    Axes keeps clients in an IP address column, so the hash is shaped as an IPv6 address in the
    unique-local range fd00::/8, which no real client of this site has.
    """
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), f"sign-in|{address}".encode(), hashlib.sha256).digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """The page for a paused sign-in: the same for every username, known or not."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "registration/locked_out.html", {"minutes": seconds // 60}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's password reset, with a limit per client and per e-mail address (see settings)."""
    if request.method == "POST" and not _reset_allowed(request):
        form = PasswordResetForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Too many requests for a new password. Wait ten minutes and try again."))
        return render(request, "registration/password_reset_form.html", {"form": form}, status=429)
    # The link in the e-mail is built from the configured site address, never from the Host header.
    # (PasswordResetView has no domain_override; the extra context replaces the request's domain.)
    host = urlsplit(settings.SITE_URL).netloc
    view = PasswordResetView.as_view(
        extra_email_context={"site_url": settings.SITE_URL, "domain": host, "site_name": host}
    )
    return view(request)


def _reset_allowed(request: HttpRequest) -> bool:
    limits = settings.PASSWORD_RESET_THROTTLE
    email = request.POST.get("email", "").strip().lower()
    return throttle.allow_at_most(request, "password-reset", limits["client"]) and throttle.allow_at_most(
        request, "password-reset-email", limits["email"], identity=f"email|{email}"
    )
