"""Retention in a real Chromium: the closed wave's results after its raw answers were deleted, read
from the frozen result: the same circle and table, a breakdown, the notice, axe-core clean."""

from __future__ import annotations

import pytest

from integration_mapping.browser import sign_in
from integration_mapping.testing import PASSWORD
from reports import retention
from reports.tests.test_browser_results import Results, check, open_results, results, table_rows  # noqa: F401
from surveys.models import Answer, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_of_a_frozen_wave_shows_the_same_figures(page, results: Results) -> None:  # noqa: F811
    previous = results.previous
    url = results.url().replace(results.current.public_id, previous.public_id)
    sign_in(page, results.world.a_admin.username, PASSWORD)
    open_results(page, url + "?compare=none")
    before = table_rows(page)
    open_results(page, f"{url}?by={results.by}")
    broken_down = page.locator("#results-table").inner_text()

    retention.freeze_and_delete(previous)
    assert not Response.objects.filter(survey=previous).exists()
    assert not Answer.objects.filter(survey=previous).exists()

    open_results(page, url + "?compare=none")
    assert table_rows(page) == before
    assert page.get_by_text("The raw answers of this survey were deleted on").is_visible()
    assert page.get_by_role("link", name="The answers as a spreadsheet").count() == 0
    open_results(page, f"{url}?by={results.by}")
    assert page.locator("#results-table").inner_text() == broken_down
    check(page, "53-frozen-results")
    # The next wave still compares with the frozen one.
    open_results(page, results.url() + f"?compare={previous.public_id}")
    assert page.locator("#results-table thead").inner_text().count("Change since") == 1
    check(page)
