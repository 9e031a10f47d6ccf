from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from tenants.models import (
    AuditEvent,
    Membership,
    Municipality,
    PartnerAssignment,
    PartnerMembership,
    PartnerOrganisation,
    Partnership,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    fields = ["partner", "municipality", "ended_at"]


class PartnerAssignmentInline(admin.TabularInline):
    model = PartnerAssignment
    extra = 0


@admin.register(User)
class IntegrationUserAdmin(UserAdmin):
    inlines = [MembershipInline, PartnerMembershipInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "min_group_size"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["own_indicators"]
    inlines = [MembershipInline, PartnershipInline]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    inlines = [PartnerMembershipInline, PartnershipInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["partner", "municipality", "ended_at"]
    inlines = [PartnerAssignmentInline]


admin.site.register(Membership)
admin.site.register(PartnerMembership)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, here as everywhere."""

    list_display = ["created_at", "municipality", "actor_name", "action"]
    list_filter = ["action", "municipality"]

    def has_add_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
