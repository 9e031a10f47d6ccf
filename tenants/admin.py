from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tenants.models import Membership, Municipality, PartnerMembership, PartnerOrganisation, Partnership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    filter_horizontal = ["indicators"]


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
    list_display = ["partner", "municipality"]
    filter_horizontal = ["indicators"]


admin.site.register(Membership)
admin.site.register(PartnerMembership)
