"""The audit log: publishing, closing and reopening are recorded with who did it; administrators
read the municipality's records, newest first, filtered and paginated; nothing changes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from integration_mapping.testing import World
from surveys import services as survey_services
from surveys.models import SurveyStatus
from tenants.models import AuditAction, AuditEvent, User
from tenants.services import record

SCRIPT = "<script>alert(1)</script>"


def log_url(world: World) -> str:
    return reverse("audit_log", kwargs={"slug": world.a.slug})


def action_url(world: World, action: str) -> str:
    return reverse(
        "survey_action", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id, "action": action}
    )


def wave(world: World) -> dict:
    return {"survey": world.survey.public_id, "wave": world.survey.wave_label}


def get_log(world: World, user: User | None = None, **params: str):
    return world.client_for(user or world.a_admin).get(log_url(world), params, headers={"accept-language": "en"})


def shown(response) -> list[AuditEvent]:
    return [event for event, _details in response.context["rows"]]


def at(event: AuditEvent, when: datetime) -> AuditEvent:
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


# --- Publishing, closing and reopening are recorded -----------------------------------------------


def test_publish_close_and_reopen_through_the_survey_page_are_recorded_with_who(world: World) -> None:
    client = world.client_for(world.a_editor)
    for action in ("publish", "close", "reopen"):
        assert client.post(action_url(world, action)).status_code == 302
    events = AuditEvent.objects.filter(action__in=[AuditAction.PUBLISH, AuditAction.CLOSE, AuditAction.REOPEN])
    assert [(e.action, e.actor, e.actor_name, e.detail) for e in events.order_by("pk")] == [
        (AuditAction.PUBLISH, world.a_editor, "a-editor", wave(world)),
        (AuditAction.CLOSE, world.a_editor, "a-editor", wave(world)),
        (AuditAction.REOPEN, world.a_editor, "a-editor", wave(world)),
    ]
    assert {event.municipality for event in events} == {world.a}


def test_services_called_without_a_person_record_the_act_without_an_actor(world: World) -> None:
    survey_services.publish(survey=world.survey)
    event = AuditEvent.objects.get(action=AuditAction.PUBLISH)
    assert (event.actor, event.actor_name, event.detail) == (None, "", wave(world))


def test_a_refused_publication_records_nothing(world: World) -> None:
    world.survey.questions.all().update(condition_question=None)
    world.survey.questions.all().delete()
    with pytest.raises(ValidationError):
        survey_services.publish(survey=world.survey, by=world.a_admin)
    assert not AuditEvent.objects.filter(action=AuditAction.PUBLISH).exists()
    world.survey.refresh_from_db()
    assert world.survey.status == SurveyStatus.DRAFT


def test_reopening_an_open_survey_is_refused_and_not_recorded(world: World) -> None:
    survey_services.publish(survey=world.survey, by=world.a_admin)
    with pytest.raises(ValidationError):
        survey_services.reopen(survey=world.survey, by=world.a_admin)
    assert not AuditEvent.objects.filter(action=AuditAction.REOPEN).exists()


# --- The page ----------------------------------------------------------------------------------


def test_log_lists_publish_and_close_newest_first_with_who_and_the_wave(world: World) -> None:
    survey_services.publish(survey=world.survey, by=world.a_editor)
    survey_services.close(survey=world.survey, by=world.a_admin)
    response = get_log(world)
    assert response.status_code == 200
    assert [(e.action, e.actor_name) for e in shown(response)][:2] == [
        (AuditAction.CLOSE, "a-administrator"),
        (AuditAction.PUBLISH, "a-editor"),
    ]
    content = response.content.decode()
    table = content[content.index('id="audit-table"') :]
    assert table.index("survey closed") < table.index("survey published")
    assert "a-editor" in table and "wave:</dt> <dd" in table and "Voorjaar 2027" in table
    assert "kept as long as the municipality" in content


def test_removed_account_keeps_its_name_and_system_acts_say_so(world: World) -> None:
    gone = User.objects.create(username="oud-collega")
    record(municipality=world.a, by=gone, action=AuditAction.EXPORT, export="answers")
    gone.delete()
    record(municipality=world.a, by=None, action=AuditAction.CLOSE)
    content = get_log(world).content.decode()
    assert "oud-collega" in content and "account removed" in content
    assert "the system (no person)" in content


def test_details_are_readable_and_escaped(world: World) -> None:
    record(
        municipality=world.a,
        by=world.a_admin,
        action=AuditAction.ASSIGNMENT_CHANGE,
        partner=SCRIPT,
        added=["work", "housing"],
        removed=[],
        odd_key={"nested": True},
    )
    content = get_log(world).content.decode()
    assert SCRIPT not in content
    assert 'partner organisation:</dt> <dd class="d-inline mb-0">&lt;script&gt;alert(1)&lt;/script&gt;' in content
    assert "work, housing" in content and "odd_key:" in content and "nested: yes" in content


def test_the_page_never_shows_another_municipality_s_records(world: World) -> None:
    record(municipality=world.b, by=world.b_admin, action=AuditAction.EXPORT, export="B-only-export")
    record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT, export="A-export")
    response = get_log(world)
    content = response.content.decode()
    assert "A-export" in content and "B-only-export" not in content and "b-administrator" not in content
    assert all(event.municipality_id == world.a.pk for event in shown(response))
    # Nor as a name to filter by.
    assert "b-administrator" not in dict(response.context["form"].fields["person"].choices)
    assert get_log(world, person="b-administrator").status_code == 400


def test_filter_by_action(world: World) -> None:
    survey_services.publish(survey=world.survey, by=world.a_editor)
    survey_services.close(survey=world.survey, by=world.a_editor)
    response = get_log(world, action=AuditAction.CLOSE)
    assert [event.action for event in shown(response)] == [AuditAction.CLOSE]


def test_filter_by_person(world: World) -> None:
    survey_services.publish(survey=world.survey, by=world.a_editor)
    survey_services.close(survey=world.survey, by=world.a_admin)
    response = get_log(world, person="a-editor")
    assert [(e.action, e.actor_name) for e in shown(response)] == [(AuditAction.PUBLISH, "a-editor")]
    assert "a-administrator" in dict(response.context["form"].fields["person"].choices)


def test_filter_by_dates_in_local_days(world: World) -> None:
    zone = timezone.get_current_timezone()
    old = at(
        record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT),
        datetime(2026, 3, 1, 23, 30, tzinfo=zone),
    )
    middle = at(
        record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT),
        datetime(2026, 3, 2, 0, 30, tzinfo=zone),
    )
    new = at(
        record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT), datetime(2026, 3, 9, 12, tzinfo=zone)
    )
    exports = {"action": AuditAction.EXPORT}
    assert shown(get_log(world, start="2026-03-02", **exports)) == [new, middle]
    assert shown(get_log(world, end="2026-03-01", **exports)) == [old]
    assert shown(get_log(world, start="2026-03-02", end="2026-03-02", **exports)) == [middle]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-13-45"},
        {"end": "yesterday"},
        {"start": "2026-03-09", "end": "2026-03-01"},
        {"action": "drop_table"},
        {"person": "nobody-here"},
    ],
)
def test_an_invalid_filter_is_a_form_error_not_a_500(world: World, params: dict) -> None:
    record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT)
    response = get_log(world, **params)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert response.context["rows"] == []


def test_sixty_records_are_paginated_by_fifty_and_the_filter_is_kept(world: World) -> None:
    for number in range(60):
        record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT, number=number)
    first = get_log(world, action=AuditAction.EXPORT)
    assert [event.detail["number"] for event in shown(first)] == list(range(59, 9, -1))
    assert "page=2" in first.content.decode() and "action=export" in first.content.decode()
    second = get_log(world, action=AuditAction.EXPORT, page="2")
    assert [event.detail["number"] for event in shown(second)] == list(range(9, -1, -1))
    assert get_log(world, page="999").status_code == 200  # the last page, not an error


@pytest.mark.parametrize("count", [5, 60])
def test_query_count_does_not_grow_with_the_records(world: World, count: int, django_assert_num_queries) -> None:
    for number in range(count):
        record(municipality=world.a, by=world.a_admin if number % 2 else world.a_editor, action=AuditAction.EXPORT)
    client = world.client_for(world.a_admin)
    # Session, user, municipality, membership, names to filter by, count, one page of records.
    with django_assert_num_queries(7):
        assert client.get(log_url(world)).status_code == 200


# --- Who may read it, and nobody changes it --------------------------------------------------


@pytest.mark.parametrize("user", ["a_editor", "a_viewer", "partner_user"])
def test_only_administrators_read_the_log(world: World, user: str) -> None:
    assert world.client_for(getattr(world, user)).get(log_url(world)).status_code == 403


@pytest.mark.parametrize("user", ["b_admin", "nobody"])
def test_another_municipality_gets_404(world: World, user: str) -> None:
    assert world.client_for(getattr(world, user)).get(log_url(world)).status_code == 404


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = world.client_for(None).get(log_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_log_cannot_be_posted_to(world: World) -> None:
    event = record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT)
    assert world.client_for(world.a_admin).post(log_url(world), {"delete": event.pk}).status_code == 405
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_django_admin_only_reads_audit_records(world: World) -> None:
    model_admin = admin.site._registry[AuditEvent]
    superuser = User.objects.create_superuser(username="root", password="x-long-password-123")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    event = record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT)
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_time_is_shown_in_local_time(world: World, settings) -> None:
    settings.TIME_ZONE = "Europe/Amsterdam"
    event = record(municipality=world.a, by=world.a_admin, action=AuditAction.EXPORT)
    at(event, datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    content = get_log(world).content.decode()
    assert "1 Jul 2026, 12:00" in content  # 10:00 UTC is 12:00 in Amsterdam in summer
