"""The read replica: reports read from it, everything else (and every write) stays on the primary.

The router runs against a real second database: the alias "replica" is added below for these tests
only, and pytest-django creates its test database (in memory on SQLite, ``test_<name>_replica`` on
PostgreSQL) because the tests ask for it. The replica is made a copy of the primary, as streaming
replication would, then the primary moves on: 12 respondents on the replica, 25 on the primary, so
every figure says where it was read.

The tests are transactional: inside a test-wide transaction every read would stay on the primary,
by the rule that a transaction reads its own writes.
"""

from __future__ import annotations

import copy
import io
import secrets
from collections.abc import Iterator

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test import Client, override_settings
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.routers import REPLICA, report_reads
from integration_mapping.testing import World, bilingual, question
from reports.models import Export, ExportStatus, ReportQuote
from reports.tasks import build_answers_xlsx
from surveys import services
from surveys.models import Answer, Response, Survey, SurveyStatus
from surveys.scales import QuestionType, Section
from tenants.models import AuditEvent, Membership

BEFORE_COPY, AFTER_COPY = 12, 13  # completed respondents on both databases, then on the primary only
WRITTEN = "What helps you?"  # an open question on Bonds, whose answers can be marked for the report


def _add_replica_alias() -> None:
    """A second database beside the test database, configured like it (also when the environment
    names a real replica: tests never write to that). Its tables are made from the models rather
    than by the migrations, whose data migrations write through the default alias; its rows are
    copied from the primary by each test."""
    replica = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    replica["TEST"]["MIGRATE"] = False
    if replica["ENGINE"].endswith("sqlite3"):
        replica["TEST"]["NAME"] = None  # a shared in-memory database of its own, named after the alias
    else:
        replica["TEST"]["NAME"] = f"{replica['TEST']['NAME'] or 'test_' + replica['NAME']}_replica"
    connections.settings[REPLICA] = replica
    settings.DATABASES[REPLICA] = replica


_add_replica_alias()
pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def respond(survey: Survey, count: int, *, lonely: int, text: str = "") -> None:
    """``count`` completed respondents. "I often feel alone" is reverse scored: 1 -> 100, 5 -> 0."""
    alone = question(survey, "I often feel alone.")
    helps = question(survey, WRITTEN)
    values = {alone: lonely, **({helps: text} if text else {})}
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})


def copy_primary_to_replica(directory) -> None:
    """What replication does: the replica becomes the primary's copy, row for row."""
    call_command("flush", database=REPLICA, interactive=False, inhibit_post_migrate=True, verbosity=0)
    dump = directory / "primary.json"
    call_command("dumpdata", database=DEFAULT_DB_ALIAS, output=str(dump), verbosity=0)
    # Without the router, which would send the many-to-many rows to the primary: it never writes
    # to the replica, whatever the instance was read from.
    with override_settings(DATABASE_ROUTERS=[]):
        call_command("loaddata", str(dump), database=REPLICA, verbosity=0)


@pytest.fixture
def world(world_transactional: World) -> World:
    return world_transactional


@pytest.fixture
def survey(world: World, tmp_path) -> Survey:
    """Published; 12 respondents who never feel alone on both databases, then 13 who always do on
    the primary only (one of them with a written answer on Bonds)."""
    survey = world.survey
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="bonds"),
        type=QuestionType.LONG_TEXT,
        text=bilingual("Wat helpt je?", WRITTEN),
    )
    services.publish(survey=survey)
    respond(survey, BEFORE_COPY, lonely=1)
    copy_primary_to_replica(tmp_path)
    respond(survey, AFTER_COPY - 1, lonely=5)
    respond(survey, 1, lonely=5, text="Ik wil verder leren.")
    return survey


@pytest.fixture
def replica_configured() -> Iterator[None]:
    with override_settings(REPORTS_DATABASE=REPLICA):
        yield


def client_for(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def url(name: str, survey: Survey, **extra: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **extra})


def everyone(client: Client, survey: Survey) -> dict:
    response = client.get(url("results_json", survey))
    assert response.status_code == 200, response.content
    group = response.json()["groups"][0]
    assert group["key"] == "all"
    return {"n": group["n"], "bonds": next(i for i in group["indicators"] if i["code"] == "bonds")["mean"]}


def test_dashboard_and_json_show_the_replicas_figures(survey: Survey, world: World, replica_configured) -> None:
    client = client_for(world.a_viewer)
    # n is counted by the ORM, the mean by reports.queries' raw SQL: both from the replica.
    assert everyone(client, survey) == {"n": BEFORE_COPY, "bonds": 100.0}
    page = client.get(url("results", survey))
    assert page.status_code == 200
    assert page.context["result"].everyone.respondents.n == BEFORE_COPY


def test_the_survey_list_and_a_save_stay_on_the_primary(survey: Survey, world: World, replica_configured) -> None:
    client = client_for(world.a_editor)
    listed = client.get(reverse("survey_list", args=[world.a.slug]))
    assert next(s for s in listed.context["surveys"] if s.pk == survey.pk).completed == BEFORE_COPY + AFTER_COPY
    closed = client.post(reverse("survey_action", args=[world.a.slug, survey.public_id, "close"]))
    assert closed.status_code == 302
    assert Survey.objects.using(DEFAULT_DB_ALIAS).get(pk=survey.pk).status == SurveyStatus.CLOSED
    assert Survey.objects.using(REPLICA).get(pk=survey.pk).status == SurveyStatus.OPEN


def test_writes_in_a_report_view_land_on_the_primary(survey: Survey, world: World, replica_configured) -> None:
    client = client_for(world.a_editor)
    audit_before = {alias: AuditEvent.objects.using(alias).count() for alias in (DEFAULT_DB_ALIAS, REPLICA)}
    figures = client.get(url("results_csv", survey))
    assert figures.status_code == 200
    assert f"Respondents,{BEFORE_COPY}" in figures.content.decode("utf-8-sig").replace("\r", "")
    assert AuditEvent.objects.using(DEFAULT_DB_ALIAS).count() == audit_before[DEFAULT_DB_ALIAS] + 1
    assert AuditEvent.objects.using(REPLICA).count() == audit_before[REPLICA]

    # The written answer exists on the primary only: marking it works because the service reads
    # it inside its transaction, which stays on the primary.
    answer = Answer.objects.using(DEFAULT_DB_ALIAS).exclude(text="").get()
    marked = client.post(url("results_indicator", survey, code="bonds"), {"answer": str(answer.pk)})
    assert marked.status_code == 302, marked.content
    assert ReportQuote.objects.using(DEFAULT_DB_ALIAS).filter(answer_id=answer.pk).exists()
    assert not ReportQuote.objects.using(REPLICA).exists()


def test_the_answers_export_reads_the_replica_and_records_progress_on_the_primary(
    survey: Survey, world: World, replica_configured, tmp_path
) -> None:
    # The export row is on the primary only, as a just-requested export would be on a lagging replica.
    export = Export.objects.create(survey=survey, created_by=world.a_editor, language="en")
    with override_settings(MEDIA_ROOT=tmp_path):
        build_answers_xlsx.call(export.pk)
        export.refresh_from_db()
        assert export.status == ExportStatus.READY and export.rows_total == BEFORE_COPY
        with open(tmp_path / export.file_name, "rb") as handle:
            rows = list(openpyxl.load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert len(rows) == 1 + BEFORE_COPY
    assert not Export.objects.using(REPLICA).exists()


def test_without_a_replica_reports_read_the_primary(survey: Survey, world: World) -> None:
    assert settings.REPORTS_DATABASE == DEFAULT_DB_ALIAS
    assert everyone(client_for(world.a_viewer), survey) == {"n": BEFORE_COPY + AFTER_COPY, "bonds": 48.0}
    with report_reads():
        assert router.db_for_read(Response) == DEFAULT_DB_ALIAS


def test_the_router_keeps_transactions_access_and_writes_on_the_primary(replica_configured) -> None:
    assert router.db_for_read(Response) == DEFAULT_DB_ALIAS  # outside a report
    with report_reads():
        assert router.db_for_read(Response) == REPLICA
        assert Response.objects.all().db == REPLICA
        assert router.db_for_read(Membership) == DEFAULT_DB_ALIAS  # who may see what: always current
        assert router.db_for_write(Response) == DEFAULT_DB_ALIAS
        assert Response.objects.select_for_update().db == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(Response) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Response) == REPLICA
    assert router.db_for_read(Response) == DEFAULT_DB_ALIAS


def test_only_the_primary_is_migrated(replica_configured) -> None:
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "surveys")
    assert not router.allow_migrate(REPLICA, "surveys")
