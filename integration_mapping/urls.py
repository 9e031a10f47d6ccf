from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter

from integration_mapping import accounts, health
from integration_mapping.converters import TokenConverter

# Before the apps' URL modules are included, which use <token:…>.
register_converter(TokenConverter, "token")

urlpatterns = [
    path("health/", health.health, name="health"),
    path("", include("tenants.urls")),
    path("", include("indicators.urls")),
    path("", include("surveys.urls")),
    path("", include("surveys.respond_urls")),
    path("", include("reports.urls")),
    path("", include("observations.urls")),
    # Before django.contrib.auth.urls, whose password reset it replaces with a throttled one.
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
