"""Retention: past a survey's retention period its results are frozen and its raw answers deleted;
every view of the results keeps working from the frozen result, which holds nothing below k."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integration_mapping.testing import World
from reports import retention
from reports.models import Export, ReportQuote, ResultSnapshot
from reports.params import list_dimensions
from reports.tests.test_results_views import (
    add_work_text_question,
    age_code,
    client_for,
    respond,
    results_json,
    url,
)
from surveys import services
from surveys.models import (
    Answer,
    IndicatorScore,
    Invitation,
    InvitationBatch,
    Response,
    Survey,
    SurveyStatus,
    add_months,
)
from tenants.models import AuditAction, AuditEvent


@pytest.fixture
def closed(world: World) -> Survey:
    """The world's survey (k = 10), answered by 12 + 4 + 3 people and closed on 1 March 2025 with
    a retention period of 12 months."""
    survey = world.survey
    add_work_text_question(survey)
    services.publish(survey=survey)
    respond(survey, 12, age="18-35", lonely=1, fits=4, text="Een taalcursus <b>overdag</b>")
    respond(survey, 4, age="36-plus", lonely=5, channel=world.channel)
    respond(survey, 3, lonely=2)
    services.close(survey=survey)
    Survey.objects.filter(pk=survey.pk).update(
        closes_on=date(2025, 3, 1),
        closed_at=timezone.make_aware(timezone.datetime(2025, 3, 1, 12)),
        retention_months=12,
    )
    survey.refresh_from_db()
    return survey


def views(world: World, survey: Survey) -> dict[str, dict]:
    """The JSON of the plain view and of every breakdown, as the officer sees them."""
    client = client_for(world, world.a_admin)
    found = {"": results_json(client, survey)}
    for dimension in list_dimensions(survey):
        found[dimension.code] = results_json(client, survey, by=dimension.code)
    return found


def without_deletion_day(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "raw_answers_deleted_on"}


def test_due_a_retention_period_after_closing(closed: Survey) -> None:
    assert closed.raw_answers_due() == date(2026, 3, 1)
    assert retention.due(date(2026, 2, 28)) == []
    assert retention.due(date(2026, 3, 1)) == [closed]


def test_an_open_survey_is_never_due(world: World) -> None:
    services.publish(survey=world.survey)
    Survey.objects.filter(pk=world.survey.pk).update(opens_on=date(2020, 1, 1), retention_months=1)
    assert Survey.objects.get(pk=world.survey.pk).raw_answers_due() is None
    assert retention.due(date(2030, 1, 1)) == []


def test_months_are_added_to_the_calendar() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 1), 24) == date(2027, 3, 1)


def test_the_figures_stay_the_same_while_the_raw_answers_go(closed: Survey, world: World) -> None:
    batch = InvitationBatch.objects.create(survey=closed, label="Post", size=1, created_by=world.a_admin)
    Invitation.objects.create(batch=batch, token_hash="0" * 64)
    quote = Answer.objects.filter(survey=closed).exclude(text="").first()
    ReportQuote.objects.create(survey=closed, answer=quote, indicator=quote.indicator, marked_by=world.a_admin)
    before = views(world, closed)
    assert before[age_code(closed)]["groups"]  # a breakdown with a shown and a hidden group

    assert retention.apply_due(date(2026, 3, 1)) == [closed]

    for model in (Response, Answer, IndicatorScore, ReportQuote):
        assert not model.objects.filter(survey=closed).exists(), model
    assert not Invitation.objects.filter(batch__survey=closed).exists()
    closed.refresh_from_db()
    assert closed.raw_deleted_at is not None
    after = views(world, closed)
    assert {code: without_deletion_day(data) for code, data in after.items()} == {
        code: without_deletion_day(data) for code, data in before.items()
    }
    assert after[""]["raw_answers_deleted_on"] == timezone.localdate().isoformat()
    event = AuditEvent.objects.get(action=AuditAction.RAW_ANSWERS_DELETE)
    assert event.detail["survey"] == closed.public_id and event.detail["responses"] == 19


def test_the_frozen_result_holds_nothing_below_k(closed: Survey) -> None:
    retention.freeze_and_delete(closed)
    snapshots = list(ResultSnapshot.objects.filter(survey=closed))
    assert sorted(s.breakdown for s in snapshots) == sorted(["", *(d.code for d in list_dimensions(closed))])
    hidden = 0
    for snapshot in snapshots:
        assert snapshot.k == 10
        for cell in snapshot.cells:
            if cell["hidden"]:
                hidden += 1
                assert cell["n"] is None and cell["mean"] is None and cell["share_positive"] is None
            else:
                assert cell["n"] == 0 or cell["n"] >= 10, cell
    assert hidden  # the 4 older people and the 3 without an age were there to hide


def test_dashboard_indicator_page_report_and_public_page_work_from_the_frozen_result(
    closed: Survey, world: World
) -> None:
    Survey.objects.filter(pk=closed.pk).update(results_public=True)
    retention.freeze_and_delete(closed)
    client = client_for(world, world.a_admin)
    dashboard = client.get(url("results", closed)).content.decode()
    assert "were deleted on" in dashboard
    assert url("export_list", closed) not in dashboard  # answers exports are no longer offered
    assert "19" in dashboard
    page = client.get(url("results_indicator", closed, code="bonds"))
    assert page.status_code == 200
    assert "The answers per question and the written answers were deleted" in page.content.decode()
    assert "taalcursus" not in page.content.decode()
    report = client.get(url("results_report", closed))
    assert report.status_code == 200 and "were deleted on" in report.content.decode()
    figures = client.get(url("results_csv", closed))
    assert figures.status_code == 200 and b"Bonds" in b"".join(
        figures.streaming_content if figures.streaming else [figures.content]
    )
    public = client_for(world, None).get(f"/results/{closed.public_id}/")
    assert public.status_code == 200


def test_filters_and_answers_exports_are_refused_with_a_reason(closed: Survey, world: World) -> None:
    retention.freeze_and_delete(closed)
    client = client_for(world, world.a_admin)
    filtered = client.get(url("results_json", closed), {"filter": f"{age_code(closed)}:18-35"})
    assert filtered.status_code == 400
    assert "can no longer be filtered" in filtered.json()["error"]
    for name in ("answers_csv", "export_list", "answers_xlsx"):
        response = client.get(url(name, closed))
        assert response.status_code == 410, name
        assert "retention period" in response.content.decode()
    assert client.post(url("export_start", closed)).status_code == 410
    assert not Export.objects.exists()


def test_a_larger_k_set_later_hides_the_frozen_figures(closed: Survey, world: World) -> None:
    retention.freeze_and_delete(closed)
    world.a.min_group_size = 15
    world.a.save()
    data = results_json(client_for(world, world.a_admin), closed)
    assert all(each["mean"] is None for each in data["groups"][0]["indicators"])
    assert all(each["suppressed"] for each in data["groups"][0]["indicators"])
    page = client_for(world, world.a_admin).get(url("results", closed)).content.decode()
    assert "frozen when the raw answers were deleted" in page


def test_the_next_wave_compares_with_the_frozen_one(closed: Survey, world: World) -> None:
    before = results_json(client_for(world, world.a_admin), closed)
    retention.freeze_and_delete(closed)
    nxt = services.copy_as_new_wave(survey=closed, wave_label="Next")
    assert nxt.raw_deleted_at is None
    Survey.objects.filter(pk=nxt.pk).update(closes_on=None)
    services.publish(survey=Survey.objects.get(pk=nxt.pk))
    respond(nxt, 12, age="18-35", lonely=2, fits=4)
    data = results_json(client_for(world, world.a_admin), nxt, compare=closed.public_id)
    bonds_now = next(i for i in data["groups"][0]["indicators"] if i["code"] == "bonds")
    bonds_then = next(i for i in before["groups"][0]["indicators"] if i["code"] == "bonds")
    assert bonds_now["change"] == pytest.approx(bonds_now["mean"] - bonds_then["mean"], abs=0.1)


def test_a_failure_keeps_everything_as_it_was(closed: Survey, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(survey: Survey) -> dict:
        Answer.objects.filter(survey=survey).delete()
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "_delete_raw", broken)
    with pytest.raises(RuntimeError):
        retention.freeze_and_delete(closed)
    closed.refresh_from_db()
    assert closed.raw_deleted_at is None
    assert not ResultSnapshot.objects.exists()
    assert Answer.objects.filter(survey=closed).exists()


def test_frozen_results_are_read_in_a_fixed_number_of_queries(closed: Survey, world: World) -> None:
    retention.freeze_and_delete(closed)
    client = client_for(world, world.a_admin)
    client.get(url("results", closed))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("results", closed), {"by": age_code(closed)}).status_code == 200
    assert len(queries) <= 26


def test_the_daily_task_applies_retention_and_waits_for_the_next_day(closed: Survey) -> None:
    Survey.objects.filter(pk=closed.pk).update(
        closes_on=date(2020, 1, 1), closed_at=timezone.now() - timedelta(days=900)
    )
    expired = Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    assert retention.apply_retention.call() == 1
    assert not Session.objects.filter(pk=expired.pk).exists()
    waiting = DBTaskResult.objects.get(task_path=retention.apply_retention.module_path, status=TaskResultStatus.READY)
    assert waiting.run_after > timezone.now() + timedelta(hours=23)
    assert retention.schedule() is False  # one waiting run is enough
    assert Survey.objects.get(pk=closed.pk).raw_deleted_at is not None


def test_the_command_lists_applies_and_refuses_an_open_survey(closed: Survey, world: World, capsys) -> None:
    call_command("apply_retention", "--dry-run", "--today", "2026-03-01")
    assert f"{closed.public_id}" in capsys.readouterr().out
    assert Response.objects.filter(survey=closed).exists()
    other = services.copy_as_new_wave(survey=closed, wave_label="Open")
    Survey.objects.filter(pk=other.pk).update(closes_on=None)
    services.publish(survey=Survey.objects.get(pk=other.pk))
    assert Survey.objects.get(pk=other.pk).status == SurveyStatus.OPEN
    with pytest.raises(Exception, match="has not closed"):
        call_command("apply_retention", f"--survey={other.public_id}")
    call_command("apply_retention", f"--survey={closed.public_id}")
    assert not Response.objects.filter(survey=closed).exists()
    call_command("apply_retention", "--schedule")
    assert (
        "already waiting" in capsys.readouterr().out
        or DBTaskResult.objects.filter(task_path=retention.apply_retention.module_path).exists()
    )


def test_a_frozen_survey_takes_no_new_answers(closed: Survey, world: World) -> None:
    retention.freeze_and_delete(closed)
    client = client_for(world, world.a_editor)
    client.post(reverse("survey_action", args=[world.a.slug, closed.public_id, "reopen"]))
    closed.refresh_from_db()
    assert closed.status == SurveyStatus.CLOSED
    Survey.objects.filter(pk=closed.pk).update(status=SurveyStatus.OPEN, closes_on=None)
    assert not Survey.objects.get(pk=closed.pk).accepts_responses()
    page = client.get(reverse("survey", args=[world.a.slug, closed.public_id])).content.decode()
    assert "The raw answers were deleted on" in page


def test_the_survey_page_says_until_when_raw_answers_are_kept(closed: Survey, world: World) -> None:
    page = client_for(world, world.a_editor).get(reverse("survey", args=[world.a.slug, closed.public_id]))
    assert "The raw answers are kept until 1 March 2026, 12 months after closing." in page.content.decode()


def test_answers_exports_and_their_files_go_with_the_raw_answers(
    closed: Survey, world: World, django_capture_on_commit_callbacks
) -> None:
    name = default_storage.save(f"exports/test/{closed.public_id}.xlsx", ContentFile(b"raw answers"))
    Export.objects.create(survey=closed, status="ready", file_name=name, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        retention.freeze_and_delete(closed)
    assert not Export.objects.exists()
    assert not default_storage.exists(name)


def test_one_failing_survey_does_not_stop_the_others_nor_tomorrows_run(
    closed: Survey, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = services.copy_as_new_wave(survey=closed, wave_label="Other")
    services.publish(survey=Survey.objects.get(pk=other.pk))
    services.close(survey=Survey.objects.get(pk=other.pk))
    Survey.objects.filter(pk=other.pk).update(closes_on=date(2025, 3, 1), retention_months=12)
    real = retention._freeze

    def freeze(survey: Survey) -> None:
        if survey.pk == closed.pk:
            raise RuntimeError("broken")
        real(survey)

    monkeypatch.setattr(retention, "_freeze", freeze)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 3, 1))
    with pytest.raises(retention.RetentionFailed, match=closed.public_id):
        retention.apply_retention.call()
    assert Survey.objects.get(pk=other.pk).raw_deleted_at is not None
    assert Survey.objects.get(pk=closed.pk).raw_deleted_at is None
    assert DBTaskResult.objects.filter(
        task_path=retention.apply_retention.module_path, status=TaskResultStatus.READY
    ).exists()
