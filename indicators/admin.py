from __future__ import annotations

from django.contrib import admin

from indicators.models import Domain, Indicator


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_en", "name_nl", "colour"]
    ordering = ["position"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name_en", "name_nl", "domain"]
    list_filter = ["domain"]
    ordering = ["number"]
