"""The foundation as a policy officer uses it, in a real Chromium, with axe-core on every page."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_signs_in_reads_the_vision_and_switches_language(page) -> None:
    call_command("seed_demo", responses=12, verbosity=0)
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    assert accessibility_violations(page) == []
    save_screenshot(page, "01-sign-in")

    sign_in(page, "rivierstad-administrator", DEMO_PASSWORD)
    page.wait_for_url("**/m/rivierstad/")
    assert page.get_by_role("heading", name="Gemeente Rivierstad").is_visible()
    assert "Integratie is voor ons iets van de hele stad" in page.locator(".vision").inner_text()
    blind_spots = page.locator(".badge-blind-spot").all_inner_texts()
    assert blind_spots == ["10. Culture", "14. Rights and Responsibilities"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert accessibility_violations(page) == []
    save_screenshot(page, "02-municipality-home")

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("heading", name="Wie dekt welke indicator").wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Visie bewerken").click()
    page.locator("#id_statement").fill("Iedereen hoort erbij.")
    assert accessibility_violations(page) == []
    save_screenshot(page, "03-edit-vision")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De visie is opgeslagen.").wait_for()
    assert page.locator(".vision").inner_text() == "Iedereen hoort erbij."


def test_framework_page_draws_the_circle_without_console_errors(page) -> None:
    call_command("seed_demo", responses=12, verbosity=0)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "rivierstad-viewer", DEMO_PASSWORD)
    page.wait_for_url("**/m/rivierstad/")
    page.goto("/framework/")
    page.locator(".circle-figure .main-svg").first.wait_for()
    assert page.locator(".circle-figure .barlayer .point").count() == 14
    assert errors == []
    assert accessibility_violations(page) == []
    save_screenshot(page, "04-framework")


def test_partner_sees_only_its_indicators_and_other_tenant_gets_404(page) -> None:
    call_command("seed_demo", responses=12, verbosity=0)
    sign_in(page, "taalschool", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Gemeente Rivierstad").click()
    page.wait_for_url("**/m/rivierstad/workspace/")
    assert page.locator("section[aria-labelledby=indicators-heading] tbody tr").count() == 3
    assert accessibility_violations(page) == []
    save_screenshot(page, "05-partner-home")

    page.context.clear_cookies()
    sign_in(page, "heuvelland-admin", DEMO_PASSWORD)
    page.wait_for_url("**/m/heuvelland/")
    response = page.goto("/m/rivierstad/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
