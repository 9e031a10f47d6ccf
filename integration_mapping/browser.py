"""Helpers for the browser tests: Debian's Chromium driven by Playwright, checked with axe-core."""

from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# The questionnaire page's Next button.
NEXT = "#page-form button[value=next]"

_axe = Axe()


def accessibility_violations(page) -> list[str]:
    """axe-core's violations on the current page, one readable line each (empty when clean)."""
    results = _axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def save_screenshot(page, name: str) -> None:
    """Writes docs/screenshots/<name>.png when SCREENSHOTS=1 (make screenshots); otherwise nothing."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the sign-in page, as a person does, and wait until it has let them in."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fill_visible_page(page, text: str = "Ik leer Nederlands en zoek werk.") -> None:
    """Answer every visible question of a questionnaire page with its second option (or some text)."""
    for question in page.locator(".question:visible").all():
        choices = question.locator(".choice-label")
        if choices.count():
            choices.nth(min(1, choices.count() - 1)).click()
        elif question.locator("textarea").count():
            question.locator("textarea").fill(text)
        elif question.locator("input").count():
            question.locator("input").first.fill("3")


def next_page(page) -> None:
    """Answer the questionnaire page and go on; answer again when a condition opened one more question."""
    fill_visible_page(page)
    page.locator(NEXT).click()
    page.wait_for_load_state()
    if page.locator(".more-questions").count():
        fill_visible_page(page)
        page.locator(NEXT).click()
        page.wait_for_load_state()
