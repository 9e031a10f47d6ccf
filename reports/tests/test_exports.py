"""Exports: the figures and the answers as CSV and XLSX, formula-safe, the XLSX built by the worker."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integration_mapping.testing import World, question
from reports.exports import neutralise
from reports.models import Export, ExportStatus
from surveys import services
from surveys.models import Survey
from tenants.models import AuditAction, AuditEvent

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def client_for(world: World, user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def respond(survey: Survey, count: int, *, age: str = "18-35", text: str = "", lonely: int = 2) -> None:
    has_work = question(survey, "Do you have paid work?")
    fits = question(survey, "My work fits what I can do.")
    alone = question(survey, "I often feel alone.")
    old = question(survey, "How old are you?")
    where = question(survey, "Where are you now, and where do you want to go?")
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        values = {has_work: "yes", fits: 4, alone: lonely, old: age}
        if text:
            values[where] = text
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})


@pytest.fixture
def survey(world: World) -> Survey:
    services.publish(survey=world.survey)
    respond(world.survey, 12, age="18-35")
    respond(world.survey, 11, age="36-plus", text=FORMULAS[0])
    for formula in FORMULAS[1:]:
        respond(world.survey, 1, age="36-plus", text=formula)
    return world.survey


def url(name: str, survey: Survey, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **kwargs})


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def no_formula_in_csv(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def no_formula_in_xlsx(content: bytes) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = []
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
        rows.append([cell.value for cell in row])
    return rows


def test_neutralise_prefixes_what_a_spreadsheet_would_run() -> None:
    for formula in FORMULAS:
        assert neutralise(formula) == "'" + formula
    assert neutralise("Ik leer Nederlands") == "Ik leer Nederlands"
    assert neutralise(-3) == -3  # numbers stay numbers


def test_figures_csv_has_the_header_block_and_hides_small_cells(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_viewer)
    response = client.get(url("results_csv", survey), {"by": question(survey, "How old are you?").code})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(response.content)
    header = {row[0]: row[1] for row in rows[:9] if row}
    assert header["Municipality"] == "Gemeente A" and header["Wave"] == "Voorjaar 2027"
    assert header["Smallest group shown (k)"] == "10" and header["Respondents"] == str(12 + 11 + 6)
    table = rows[rows.index([]) + 1 :]
    assert table[0][:4] == ["Group", "Indicator code", "Indicator", "Respondents"]
    by_group = {(row[0], row[1]): row for row in table[1:]}
    assert by_group[("18 to 35", "bonds")][3] == "12"
    # "No answer" has nobody: 0, not hidden. Nothing smaller than k is a number anywhere.
    for row in table[1:]:
        if row[3].isdigit():
            assert int(row[3]) == 0 or int(row[3]) >= 10
    assert by_group[("Everyone", "work")][:2] == ["Everyone", "work"]


def test_figures_hide_what_the_dashboard_hides(survey: Survey, world: World) -> None:
    survey.municipality.min_group_size = 15
    survey.municipality.save()
    client = client_for(world, world.a_viewer)
    rows = read_csv(client.get(url("results_csv", survey), {"by": question(survey, "How old are you?").code}).content)
    young = next(row for row in rows if row[:2] == ["18 to 35", "bonds"])
    assert young[3:6] == ["too few responses"] * 3


def test_figures_xlsx_reads_back_without_a_formula(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_viewer)
    response = client.get(url("results_xlsx", survey))
    assert response.status_code == 200
    rows = no_formula_in_xlsx(response.content)
    assert rows[0][:2] == ["Municipality", "Gemeente A"]
    assert any(row[:2] == ["Everyone", "bonds"] for row in rows)


def test_answers_csv_one_row_per_response_and_no_formula(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    response = client.get(url("answers_csv", survey))
    assert response.status_code == 200 and response.streaming
    rows = read_csv(b"".join(response.streaming_content))
    no_formula_in_csv(rows)
    header, body = rows[0], rows[1:]
    assert len(body) == 12 + 11 + 6
    lonely = question(survey, "I often feel alone.")
    assert f"{lonely.code}: Ik voel me vaak alleen." in header
    column = header.index(f"{lonely.code}: Ik voel me vaak alleen.")
    assert {row[column] for row in body} == {"2"}
    where = next(i for i, name in enumerate(header) if "Waar sta je nu" in name)
    assert "'=1+1" in {row[where] for row in body}
    # Nothing that links a row to a person: no token, no invitation, no time of day.
    assert not any("token" in name.lower() or "invitation" in name.lower() for name in header)
    day = header.index("Completed on")
    assert all(len(row[day]) == 10 for row in body)


def test_answers_xlsx_is_built_by_a_task_with_progress_and_reads_back(
    survey: Survey, world: World, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world, world.a_editor)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        start = client.post(url("export_start", survey))
    export = Export.objects.get()
    assert start.status_code == 302 and start["Location"] == url("export_detail", survey, export_id=export.public_id)
    # ImmediateBackend ran the task after the commit of the request's transaction.
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.percent == 100
    status = client.get(url("export_detail", survey, export_id=export.public_id), {"format": "json"}).json()
    assert status == {"status": "ready", "label": "ready", "percent": 100, "finished": True}
    download = client.get(url("export_download", survey, export_id=export.public_id))
    assert download.status_code == 200
    rows = no_formula_in_xlsx(b"".join(download.streaming_content))
    assert len(rows) == 1 + 12 + 11 + 6
    # In XLSX a text stays itself, as a string cell (no_formula_in_xlsx checked the types).
    values = {value for row in rows for value in row}
    assert {"=1+1", '=HYPERLINK("http://x")', "@cmd", "+SUM(A1)"} <= values


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_queued_export(world_transactional: World, settings, tmp_path) -> None:
    """The real worker (django-tasks-db's db_worker) picks the task up from the database."""
    settings.MEDIA_ROOT = tmp_path
    world = world_transactional
    services.publish(survey=world.survey)
    respond(world.survey, 3)
    client = client_for(world, world.a_editor)
    client.post(url("export_start", world.survey))
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    page = client.get(url("export_detail", world.survey, export_id=export.public_id)).content.decode()
    assert 'http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert (tmp_path / export.file_name).exists()


def test_a_failed_export_says_so_and_can_be_retried(
    survey: Survey, world: World, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world, world.a_editor)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.exports.xlsx_write", broken)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        client.post(url("export_start", survey))
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED and export.error == "RuntimeError"
    page = client.get(url("export_detail", survey, export_id=export.public_id)).content.decode()
    assert "Preparing the file failed" in page
    monkeypatch.undo()
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        retry = client.post(url("export_retry", survey, export_id=export.public_id))
    assert retry.status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_exports_are_recorded_in_the_audit_log(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    client.get(url("results_csv", survey), {"compare": "none"})
    b"".join(client.get(url("answers_csv", survey)).streaming_content)
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("created_at"))
    assert [(event.action, event.actor, event.detail["export"], event.detail["format"]) for event in events] == [
        (AuditAction.EXPORT, world.a_editor, "figures", "csv"),
        (AuditAction.EXPORT, world.a_editor, "answers", "csv"),
    ]
    assert events[0].detail["query"] == "compare=none" and events[0].municipality == survey.municipality


def test_who_may_export_what(survey: Survey, world: World) -> None:
    viewer, partner, other = (client_for(world, user) for user in (world.a_viewer, world.partner_user, world.b_admin))
    assert viewer.get(url("results_csv", survey)).status_code == 200
    for name in ("answers_csv", "answers_xlsx", "export_list"):
        assert viewer.get(url(name, survey)).status_code == 403
        assert partner.get(url(name, survey)).status_code == 404
        assert other.get(url(name, survey)).status_code == 404
    assert viewer.post(url("export_start", survey)).status_code == 403
    assert other.get(url("results_xlsx", survey)).status_code == 404
    anonymous = Client().get(url("answers_csv", survey))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # A partner's figures hold its own indicators only.
    rows = read_csv(partner.get(url("results_csv", survey)).content)
    codes = {row[1] for row in rows[rows.index([]) + 2 :]}
    assert codes <= {"language-and-communication", "education"}
    assert not AuditEvent.objects.filter(actor=world.a_viewer, detail__export="answers").exists()


def test_bad_parameters_are_400_and_foreign_waves_404(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_viewer)
    assert client.get(url("results_csv", survey), {"bogus": "1"}).status_code == 400
    assert client.get(url("results_xlsx", survey), {"filter": "nonsense"}).status_code == 400
    other = services.create_survey(
        municipality=world.b, title="B", wave_label="B1", base_language="nl", languages=["nl"], indicators=[]
    )
    assert client.get(url("results_csv", survey), {"compare": other.public_id}).status_code == 404


def test_the_answers_csv_reads_its_rows_in_a_fixed_number_of_queries(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(url("answers_csv", survey)).streaming_content)
        return len(queries)

    few = count()
    respond(survey, 30)
    assert count() == few


@pytest.mark.django_db(transaction=True)
def test_a_finished_export_is_deleted_a_day_later_by_the_worker(world_transactional: World, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = world_transactional
    services.publish(survey=world.survey)
    respond(world.survey, 2)
    client = client_for(world, world.a_editor)
    client.post(url("export_start", world.survey))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    export = Export.objects.get()
    assert export.status == ExportStatus.READY and (tmp_path / export.file_name).exists()
    # The worker holds the deletion until a day after the export was asked for.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Export.objects.filter(pk=export.pk).exists()
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(days=2))
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not Export.objects.filter(pk=export.pk).exists()
    assert not (tmp_path / export.file_name).exists()
    # And the download of an expired export is gone too.
    assert client.get(url("export_download", world.survey, export_id=export.public_id)).status_code == 404


def test_a_ready_export_whose_file_is_gone_is_a_404(survey: Survey, world: World, settings, tmp_path) -> None:
    """E.g. after a restore on another machine: the row came back, the day-old file did not."""
    settings.MEDIA_ROOT = tmp_path
    export = Export.objects.create(
        survey=survey, status=ExportStatus.READY, file_name="exports/gone/answers.xlsx", language="en"
    )
    response = client_for(world, world.a_editor).get(url("export_download", survey, export_id=export.public_id))
    assert response.status_code == 404
