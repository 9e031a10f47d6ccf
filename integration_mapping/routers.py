"""Where queries go when a read replica is configured (``DATABASE_REPLICA_URL``).

Every write and every read goes to the primary ("default"), except the reads of a report being
built: the code that builds one (the dashboard, its JSON, the indicator page, the printable
report, the exports, the coverage map) runs inside ``report_reads()``, and while it does, reads of
the survey data go to the replica (``settings.REPORTS_DATABASE``). Without a replica that setting
is "default" and nothing changes.

Three kinds of read stay on the primary even then:

- inside a transaction (``atomic``) on the primary: it must see its own writes, and a
  ``select_for_update`` (which Django sends through ``db_for_write`` anyway) must lock the primary's
  rows;
- of the apps outside ``REPORT_APPS``, in particular who may see what (users, memberships, partner
  assignments), sessions and the task queue: a revoked membership is gone at once, however far the
  replica lags behind;
- anything outside ``report_reads()``: the survey list, the builder, the questionnaire.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
# The apps whose data reports are built from. A new app is read from the primary until added here.
REPORT_APPS = frozenset({"indicators", "surveys", "observations", "reports"})

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def report_reads() -> Iterator[None]:
    """Send the report's reads to the replica while inside. Also a decorator: ``@report_reads()``.

    A context variable rather than a thread-local, so a worker thread or an async task sees only its
    own report."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reports_database() -> str:
    """The database a report's reads go to right now ("default" when there is no replica)."""
    return settings.REPORTS_DATABASE if _reading_reports.get() else DEFAULT_DB_ALIAS


class ReportReadsRouter:
    def db_for_read(self, model: type[Model], **hints: object) -> str:
        alias = reports_database()
        if (
            alias != DEFAULT_DB_ALIAS
            and model._meta.app_label in REPORT_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        # The replica holds the same rows as the primary: a survey read from one may be linked to
        # a user read from the other (and is then saved to the primary).
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: object) -> bool:
        # The replica is a copy of the primary, schema included: only the primary is migrated. (A
        # test's second database is migrated while it is not yet the one reports read from.)
        return db == DEFAULT_DB_ALIAS or db != settings.REPORTS_DATABASE
