"""Working together, in a real Chromium with axe-core on every page: the administrator adds a
partner, assigns it indicators and invites its member; the member opens the link from the e-mail,
sets a password, sees only those indicators' results and adds an observation; the administrator
finds it beside the figures and in the audit log."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from surveys.models import Survey
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER_EMAIL = "lena@buurtwerk-oost.example"
MEMBER_PASSWORD = "Buurtwerk-oost-2027!"
ASSIGNED = {"culture": "Culture", "bridges": "Bridges"}


def check(page, shot: str = "") -> None:
    assert accessibility_violations(page) == []
    if shot:
        save_screenshot(page, shot)


def test_administrator_and_partner_work_together(page, live_server, settings) -> None:
    settings.SITE_URL = live_server.url  # the address the e-mails' links are built from
    call_command("seed_demo", responses=40, verbosity=0)
    sign_in(page, "rivierstad-administrator", DEMO_PASSWORD)
    page.wait_for_url("**/m/rivierstad/")

    # The coverage map, linked first from the home page, shows the demo's two blind spots.
    page.get_by_role("link", name="Coverage map", exact=True).click()
    page.locator(".circle-figure .main-svg").first.wait_for()
    blind_spots = page.locator("tr", has=page.locator(".badge-blind-spot"))
    assert sorted(blind_spots.locator("th").all_inner_texts()) == ["Culture", "Rights and Responsibilities"]
    check(page, "40-coverage-map")

    # The administrator adds a partner and assigns it a blind spot and one more indicator.
    page.goto("/m/rivierstad/")
    page.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_label("Name of the organisation").fill("Buurtwerk Oost")
    page.get_by_label("Kind").select_option("welfare")
    page.get_by_role("button", name="Add the partner").click()
    page.get_by_role("heading", name="Buurtwerk Oost", level=1).wait_for()
    for name in ASSIGNED.values():
        page.get_by_label(f"Assigned: {name}").check()
    page.get_by_label("What the partner does for Culture").fill("Open podium and a festival with newcomers.")
    page.get_by_role("button", name="Save the indicators").click()
    page.get_by_label("Assigned: Culture").wait_for()
    assert page.get_by_label("Assigned: Culture").is_checked()
    assert not page.get_by_label("Assigned: Work").is_checked()

    # ... and invites its member.
    page.get_by_label("E-mail address").fill(MEMBER_EMAIL)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text(MEMBER_EMAIL).first.wait_for()
    check(page)
    page.goto("/m/rivierstad/partners/")
    assert page.get_by_role("link", name="Buurtwerk Oost").is_visible()
    check(page, "41-partners")
    page.goto("/m/rivierstad/team/")
    check(page, "42-team")

    # The member opens the link from the e-mail in a browser of their own and sets a password.
    assert [message.to for message in mail.outbox] == [[MEMBER_EMAIL]]
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("heading", name="Accept the invitation").wait_for()
    assert "Buurtwerk Oost" in page.locator("main").inner_text()
    check(page)
    page.get_by_label("Your name (optional)").fill("Lena")
    page.locator("#id_password1").fill(MEMBER_PASSWORD)
    page.locator("#id_password2").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # The workspace: only the two assigned indicators, in the table and in the circle.
    page.wait_for_url("**/m/rivierstad/workspace/")
    page.locator(".circle-figure .main-svg").first.wait_for()
    main = page.locator("main").inner_text()
    assert "Culture" in main and "Bridges" in main
    for other in ("Work", "Housing", "Language and communication", "Safety"):
        assert other not in main
    labels = page.evaluate(
        "() => JSON.parse(document.querySelector('script[type=\"application/json\"]').textContent)"
        ".data.flatMap(trace => (trace.text || []).concat(trace.hovertext || []))"
    )
    assert not any("Work" in str(label) for label in labels)
    check(page, "43-partner-workspace")

    # The member adds an observation on one of its indicators.
    page.get_by_role("link", name="Add an observation").first.click()
    page.get_by_label("Title").fill("Newcomers want to perform, not only to watch")
    page.get_by_label("What you saw or heard").fill("At the open podium, six newcomers asked to play music themselves.")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Group conversation").check()
    page.get_by_label("Culture").check()
    check(page)
    page.get_by_role("button", name="Add the observation").click()
    page.get_by_text("Newcomers want to perform, not only to watch").first.wait_for()

    # The administrator sees it on the indicator page beside the figures, and in the audit log.
    page.context.clear_cookies()
    sign_in(page, "rivierstad-administrator", DEMO_PASSWORD)
    page.wait_for_url("**/m/rivierstad/")
    survey = Survey.objects.filter(municipality__slug="rivierstad").order_by("-published_at").first()
    page.goto(f"/m/rivierstad/surveys/{survey.public_id}/results/culture/")
    observations = page.locator("section", has=page.get_by_role("heading", name="Observations"))
    assert "Newcomers want to perform, not only to watch" in observations.inner_text()
    assert "Buurtwerk Oost" in observations.inner_text()
    check(page, "44-observation-beside-the-figures")

    page.goto("/m/rivierstad/")
    page.get_by_role("link", name="Audit log", exact=True).click()
    log = page.locator("table").inner_text()
    for action in ("partnership started", "indicators assigned", "invitation sent", "invitation accepted"):
        assert action in log
    check(page, "45-audit-log")
