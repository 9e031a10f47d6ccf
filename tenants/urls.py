from __future__ import annotations

from django.urls import path

from tenants import team_views, views

municipality = "m/<slug:slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(municipality, views.municipality_home, name="municipality"),
    path(municipality + "vision/", views.edit_vision, name="edit_vision"),
    path(municipality + "audit/", views.audit_log, name="audit_log"),
    path(municipality + "team/", team_views.team, name="team"),
    path(municipality + "team/role/", team_views.member_role, name="member_role"),
    path(municipality + "team/remove/", team_views.member_remove, name="member_remove"),
    path(
        municipality + "invitations/<token:public_id>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        municipality + "invitations/<token:public_id>/resend/", team_views.invitation_resend, name="invitation_resend"
    ),
    path(municipality + "partners/", team_views.partners, name="partners"),
    path(municipality + "partners/<token:public_id>/", team_views.partner_detail, name="partner_detail"),
    path(municipality + "partners/<token:public_id>/invite/", team_views.partner_invite, name="partner_invite"),
    path(municipality + "partners/<token:public_id>/end/", team_views.partner_end, name="partner_end"),
    path("invitation/<token:token>/", team_views.accept_invitation, name="accept_invitation"),
]
