"""The fault suite: the database going away in the middle of a newcomer's page save and of the final
submit, and the worker dying in the middle of an export.

The database tests stop the test's own PostgreSQL for real (``pg_ctl stop -m immediate``, through the
script .ci/run exports as ``IM_TEST_PG_CTL``) after the first write of the request, then start it
again and check that nothing was half stored and that sending the same page again succeeds once.
Where no such server is at hand (local runs on SQLite) they skip; in CI on PostgreSQL they must run.
The tests of the 503 pages themselves make every query fail instead, on any database.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import Count
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from integration_mapping.testing import World, question
from reports import tasks
from reports.models import Export, ExportStatus
from surveys import services
from surveys.frame import LANGUAGE_COOKIE
from surveys.models import Answer, IndicatorScore, Response, ResponseStatus
from surveys.respond import field_name

pytestmark = pytest.mark.fault

LOST = "The connection to our server was lost. Your earlier answers are safe."
STAFF_LOST = "The connection to the database was lost. Please try again in a moment."
WRITES = ("INSERT", "UPDATE", "DELETE")


# The newcomer ------------------------------------------------------------------------------------


def arabic_respondent(world: World) -> tuple[Client, Response]:
    """A newcomer whose browser speaks Arabic, past the consent, on the first page."""
    services.publish(survey=world.survey)
    world.survey.languages = ["nl", "en", "ar"]
    world.survey.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.get(reverse("respond_entry", args=[world.channel.token]))
    start = client.get(reverse("respond_start")).content.decode()
    key = re.search(r'name="start_key" value="([^"]+)"', start).group(1)
    client.post(reverse("respond_start"), {"consent": "yes", "start_key": key})
    return client, Response.objects.get()


def first_page(world: World) -> dict[str, object]:
    """The first page's POST, both questions shown: paid work, and how well it fits."""
    has_work, fits = (
        question(world.survey, "Do you have paid work?"),
        question(world.survey, "My work fits what I can do."),
    )
    return {"action": "next", "shown": [has_work.code, fits.code], field_name(has_work): "yes", field_name(fits): "4"}


def answers_of(response: Response) -> list[tuple]:
    return list(
        Answer.objects.filter(response=response)
        .order_by("question_id", "choice")
        .values_list("question_id", "choice", "number", "text")
    )


def in_arabic(message: str) -> str:
    with translation.override("ar"):
        return gettext(message)


def is_the_arabic_503(page) -> bool:
    content = page.content.decode()
    return (
        page.status_code == 503
        and page["Retry-After"].isdigit()
        and '<html lang="ar" dir="rtl">' in content
        and '<body class="respond">' in content
        and in_arabic(LOST) in content
        and "Traceback" not in content
    )


@contextmanager
def every_query_fails() -> Iterator[None]:
    """The database is gone: every statement raises, as psycopg does for a closed connection."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def test_a_newcomer_gets_a_503_in_their_own_language_when_the_database_is_gone(world: World, caplog) -> None:
    client, _response = arabic_respondent(world)
    data = first_page(world)
    # The language comes from the cookie of the newcomer's last page: the session cannot be read.
    assert client.cookies[LANGUAGE_COOKIE].value == "ar"
    with every_query_fails():
        sent = client.post(reverse("respond_step", args=[1]), data, HTTP_ACCEPT_LANGUAGE="en")
        opened = client.get(reverse("respond_step", args=[2]), HTTP_ACCEPT_LANGUAGE="en")
        entry = client.get(reverse("respond_entry", args=[world.channel.token]))
    assert is_the_arabic_503(sent) and is_the_arabic_503(opened) and is_the_arabic_503(entry)
    assert sent["Cache-Control"] == "no-store"
    # A page that was sent is sent again from the browser's Back button; a page that was opened
    # offers a link that opens it again, which sends nothing.
    assert 'href="/answer/2/"' in opened.content.decode() and 'href="/answer/' not in sent.content.decode()
    # The log names the view, never the path with the link's token.
    logged = [record.getMessage() for record in caplog.records if record.name == "integration_mapping.middleware"]
    assert logged[-1] == "Database unavailable in respond_entry: OperationalError"
    assert not [message for message in logged if world.channel.token in message]


def test_without_the_language_cookie_the_503_follows_the_browser(world: World) -> None:
    client, _response = arabic_respondent(world)
    data = first_page(world)
    del client.cookies[LANGUAGE_COOKIE]
    with every_query_fails():
        sent = client.post(reverse("respond_step", args=[1]), data, HTTP_ACCEPT_LANGUAGE="uk")
    assert sent.status_code == 503 and '<html lang="uk" dir="ltr">' in sent.content.decode()


def test_staff_get_a_plain_503_in_their_language_when_the_database_is_gone(world: World) -> None:
    english = world.client_for(world.a_admin)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    dutch = world.client_for(world.a_admin)
    with every_query_fails():
        pages = [english.get(reverse("home")), dutch.get(reverse("home"))]
    for page, language in zip(pages, ("en", "nl"), strict=True):
        content = page.content.decode()
        with translation.override(language):
            message = gettext(STAFF_LOST)
        assert page.status_code == 503 and page["Retry-After"].isdigit() and "no-store" in page["Cache-Control"]
        assert f'<html lang="{language}"' in content and message in content
        # No menu, no user name: they would read the session from the database.
        assert "navbar" not in content and world.a_admin.username not in content


# The database stops in the middle of a request (PostgreSQL, CI) ----------------------------------


@pytest.fixture
def own_postgresql(transactional_db: None) -> Iterator[Callable[[str], None]]:
    """``stop`` / ``start`` for the PostgreSQL server the tests run on (started again at the end)."""
    pg_ctl = os.environ.get("IM_TEST_PG_CTL", "")
    if connection.vendor != "postgresql":
        pytest.skip("stops and starts the test's PostgreSQL: run with DATABASE_URL=postgres://… (.ci/run does)")
    if not pg_ctl:
        if os.environ.get("CI"):
            pytest.fail("IM_TEST_PG_CTL is not set: .ci/run must export the script that stops and starts PostgreSQL")
        pytest.skip("IM_TEST_PG_CTL is not set: the script (see .ci/run) that stops and starts this PostgreSQL")
    stopped = False

    def ctl(action: str) -> None:
        nonlocal stopped
        subprocess.run([pg_ctl, action], check=True, timeout=120)
        stopped = action == "stop"
        if not stopped:
            # Django's connection broke with the server; the test client does not close it for us.
            connection.close()

    yield ctl
    if stopped:
        ctl("start")


@contextmanager
def server_stops_after_write(ctl: Callable[[str], None], writes: int) -> Iterator[None]:
    """Let ``writes`` write statements of the request run, then stop the server before the next one."""
    done = 0
    stopped = False

    def wrapper(execute, sql, params, many, context):
        nonlocal done, stopped
        if done >= writes and not stopped:
            stopped = True
            ctl("stop")
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(WRITES):
            done += 1
        return result

    with connection.execute_wrapper(wrapper):
        yield
    assert stopped, f"the request made fewer than {writes + 1} statements from its first write on"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("writes", [1, 2])
def test_a_page_save_cut_off_by_the_database_stores_nothing_and_can_be_sent_again(
    world_transactional: World, own_postgresql: Callable[[str], None], writes: int
) -> None:
    world = world_transactional
    client, response = arabic_respondent(world)
    services.save_answers(response=response, answers={question(world.survey, "Do you have paid work?"): "no"})
    data = first_page(world)
    before = answers_of(response)
    with server_stops_after_write(own_postgresql, writes):
        cut_off = client.post(reverse("respond_step", args=[1]), data)
    assert is_the_arabic_503(cut_off)

    own_postgresql("start")
    response.refresh_from_db()
    assert response.step == 1 and answers_of(response) == before
    retry = client.post(reverse("respond_step", args=[1]), data)
    assert retry.status_code == 302 and retry["Location"] == reverse("respond_step", args=[2])
    response.refresh_from_db()
    stored = {q: list(Answer.objects.filter(response=response, question=q).values_list("choice", "number")) for q in (
        question(world.survey, "Do you have paid work?"),
        question(world.survey, "My work fits what I can do."),
    )}  # fmt: skip
    assert list(stored.values()) == [[("yes", None)], [("", 4)]] and response.step == 2


@pytest.mark.django_db(transaction=True)
def test_a_final_submit_cut_off_by_the_database_completes_nothing_and_completes_once_on_retry(
    world_transactional: World, own_postgresql: Callable[[str], None]
) -> None:
    world = world_transactional
    client, response = arabic_respondent(world)
    survey = world.survey
    values = {
        question(survey, "Do you have paid work?"): "yes",
        question(survey, "My work fits what I can do."): 4,
        question(survey, "I often feel alone."): 2,
        question(survey, "How old are you?"): "18-35",
        question(survey, "Where are you now, and where do you want to go?"): "Ik leer Nederlands.",
    }
    services.save_answers(response=response, answers=values, step=5)
    before = answers_of(response)
    with server_stops_after_write(own_postgresql, 1):
        cut_off = client.post(reverse("respond_review"))
    assert is_the_arabic_503(cut_off)

    own_postgresql("start")
    response.refresh_from_db()
    assert response.status == ResponseStatus.IN_PROGRESS and response.completed_at is None
    assert not IndicatorScore.objects.exists() and answers_of(response) == before
    retry = client.post(reverse("respond_review"))
    assert retry.status_code == 302 and retry["Location"] == reverse("respond_thanks")
    # A second tap after the retry changes nothing.
    assert client.post(reverse("respond_review"))["Location"] == reverse("respond_thanks")
    response.refresh_from_db()
    assert response.status == ResponseStatus.COMPLETED and answers_of(response) == before
    per_indicator = IndicatorScore.objects.filter(response=response).values("indicator").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_indicator) == [1, 1]  # work and bonds, once each


# The worker dies in the middle of an export ---------------------------------------------------------


def respond(world: World, count: int) -> None:
    survey = world.survey
    services.publish(survey=survey)
    alone, old = question(survey, "I often feel alone."), question(survey, "How old are you?")
    for number in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        values = {alone: 1 + number % 5, old: "18-35"}
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})


def export_url(name: str, world: World, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": world.a.slug, "public_id": world.survey.public_id, **kwargs})


def editor(world: World) -> Client:
    client = world.client_for(world.a_editor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_an_export_stores_the_id_of_its_task(world: World, django_capture_on_commit_callbacks) -> None:
    respond(world, 2)
    with django_capture_on_commit_callbacks(execute=True):
        editor(world).post(export_url("export_start", world))
    assert Export.objects.get().task_id == str(DBTaskResult.objects.get().id)


def test_a_slow_export_still_shows_a_heartbeat_between_progress_updates(world: World, monkeypatch) -> None:
    export = Export.objects.create(survey=world.survey, language="en", status=ExportStatus.RUNNING)
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(tasks, "time", SimpleNamespace(monotonic=lambda: clock.now))
    on_row = tasks._progress(export)
    on_row(1)
    export.refresh_from_db()
    assert export.heartbeat_at is None
    clock.now += tasks.HEARTBEAT_SECONDS
    on_row(2)
    export.refresh_from_db()
    assert export.heartbeat_at is not None and export.rows_done == 2


def test_only_exports_without_a_sign_of_life_are_marked_failed(world: World) -> None:
    now = timezone.now()
    stall = tasks.EXPORT_STALL_AFTER

    def export_with_task(status: ExportStatus, task_status: TaskResultStatus, heartbeat) -> Export:
        result = tasks.build_answers_xlsx.enqueue(0)
        DBTaskResult.objects.filter(id=result.id).update(status=task_status, started_at=now)
        return Export.objects.create(
            survey=world.survey, language="en", status=status, task_id=result.id, heartbeat_at=heartbeat
        )

    alive = export_with_task(ExportStatus.RUNNING, TaskResultStatus.RUNNING, now)
    waiting = export_with_task(ExportStatus.QUEUED, TaskResultStatus.READY, None)
    claimed = export_with_task(ExportStatus.QUEUED, TaskResultStatus.RUNNING, None)
    assert tasks.fail_stalled_exports(now=now + stall - timedelta(seconds=1)) == 0
    assert tasks.fail_stalled_exports(now=now + stall + timedelta(seconds=1)) == 2
    statuses = {export.pk: (export.status, export.error) for export in Export.objects.all()}
    assert statuses == {
        alive.pk: (ExportStatus.FAILED, "WorkerStopped"),
        waiting.pk: (ExportStatus.QUEUED, ""),  # no worker has taken it yet: it waits, it did not fail
        claimed.pk: (ExportStatus.FAILED, "WorkerStopped"),
    }
    task_statuses = {str(task): status for task, status in DBTaskResult.objects.values_list("id", "status")}
    assert [task_statuses[export.task_id] for export in (alive, waiting, claimed)] == ["FAILED", "READY", "FAILED"]


WORKER = """
import time

import django

django.setup()
from django.core.management import call_command

from reports import exports

rows = exports.answer_rows


def hanging(survey):
    # The worker stops in the middle of the rows, until the test kills it.
    for number, row in enumerate(rows(survey)):
        if number == 3:
            time.sleep(600)
        yield row


exports.answer_rows = hanging
call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1")
"""


def worker(media: Path, *, hangs: bool) -> subprocess.Popen:
    """``manage.py db_worker`` in a process of its own, on the test database."""
    db = connection.settings_dict
    url = f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/{quote(db['NAME'])}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(media)}
    env.pop("DATABASE_REPLICA_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "integration_mapping.settings"
    command = ["-c", WORKER] if hangs else ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen([sys.executable, *command], cwd=settings.BASE_DIR, env=env)


def wait_for(condition: Callable[[], bool], what: str, process: subprocess.Popen) -> None:
    # A bound so that a broken worker fails the test instead of hanging it; not a timing check.
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None, f"the worker exited before {what}"
        assert time.monotonic() < deadline, f"no {what} within a minute"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_leaves_it_failed_and_a_retry_builds_the_whole_file(
    world_transactional: World, settings, tmp_path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the worker runs in another process, which cannot see SQLite's in-memory test database")
    world = world_transactional
    settings.MEDIA_ROOT = tmp_path
    respond(world, 12)
    client = editor(world)
    client.post(export_url("export_start", world))
    export = Export.objects.get()
    first_task = export.task_id

    killed = worker(tmp_path, hangs=True)
    try:
        running = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, heartbeat_at__isnull=False)
        wait_for(running.exists, "a running export with a heartbeat", killed)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.RUNNING  # for ever, without the sweep

    # Within the stall window the export is still taken to be at work.
    assert tasks.fail_stalled_exports() == 0
    later = timezone.now() + tasks.EXPORT_STALL_AFTER + timedelta(seconds=1)
    assert tasks.fail_stalled_exports(now=later) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == "WorkerStopped"
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED
    page = client.get(export_url("export_detail", world, export_id=export.public_id)).content.decode()
    assert "Preparing the file failed" in page

    assert client.post(export_url("export_retry", world, export_id=export.public_id)).status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED and export.task_id not in ("", first_task)
    finished = worker(tmp_path, hangs=False)
    try:
        assert finished.wait(timeout=120) == 0  # --batch: it stops when no task is left
    finally:
        if finished.poll() is None:
            finished.kill()
            finished.wait()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and DBTaskResult.objects.get(id=export.task_id).status == "SUCCESSFUL"
    download = client.get(export_url("export_download", world, export_id=export.public_id))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == 1 + 12
