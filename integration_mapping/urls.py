from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from surveys import respond_views

urlpatterns = [
    path("", include("tenants.urls")),
    path("", include("indicators.urls")),
    path("", include("surveys.urls")),
    path("s/<str:token>/", respond_views.entry, name="respond_entry"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
