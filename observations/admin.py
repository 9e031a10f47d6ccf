from __future__ import annotations

from django.contrib import admin

from observations.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "organisation_name", "observed_on", "method", "in_report"]
    list_filter = ["municipality", "method", "in_report"]
    search_fields = ["title", "organisation_name"]
    filter_horizontal = ["indicators"]
    readonly_fields = ["public_id", "author", "created_at", "updated_at"]
