"""The newcomer's questionnaire in a real Chromium: Dutch, Arabic on a phone, keyboard only,
without JavaScript, resuming elsewhere, and submitting exactly once. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command

from integration_mapping.browser import NEXT, accessibility_violations, fill_visible_page, next_page, save_screenshot
from integration_mapping.testing import reseed_reference_data
from surveys import services
from surveys.demo import PREVIOUS_WAVE, WAVE
from surveys.models import Answer, Response, ResponseStatus, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# The visible Next button (a hidden copy at the top of the page makes Enter in a field mean Next).


@pytest.fixture
def demo(page) -> Survey:
    call_command("seed_demo", responses=0, verbosity=0)
    return Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)


def link(survey: Survey) -> str:
    return f"/s/{survey.channels.first().token}/"


@pytest.fixture
def new_page(chromium, live_server) -> Iterator[Callable[..., object]]:
    """Opens a page in a browser context of its own (a Dutch phone unless told otherwise). The
    contexts close when the test ends, so no open connection outlives the test's database."""
    contexts = []

    def open_page(*, locale: str = "nl-NL", viewport: dict | None = None, javascript: bool = True):
        context = chromium.new_context(
            base_url=live_server.url, locale=locale, viewport=viewport or PHONE, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_accessible(page) -> None:
    assert accessibility_violations(page) == [], page.url


def answer_everything(page, *, check: bool = True, shots: str = "") -> int:
    """From step 1 to the review page. Returns the number of pages answered."""
    steps = 0
    while "/answer/check/" not in page.url:
        steps += 1
        if check:
            assert_accessible(page)
        if shots and steps == 1:
            fill_visible_page(page)
            save_screenshot(page, f"{shots}-step")
        next_page(page)
    return steps


def test_full_journey_in_dutch(demo: Survey, new_page) -> None:
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(link(demo))
    assert page.url.endswith("/answer/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)
    save_screenshot(page, "10-newcomer-start")
    page.get_by_role("button", name="Ja, ik doe mee").click()
    assert page.get_by_text("Stap 1 van 16").is_visible()
    steps = answer_everything(page, shots="11-newcomer")
    assert steps == 16
    assert_accessible(page)
    save_screenshot(page, "12-newcomer-review")
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    page.get_by_role("heading", name="Bedankt!").wait_for()
    assert_accessible(page)
    save_screenshot(page, "13-newcomer-thanks")
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED and response.language == "nl"
    assert response.answers.count() > 40
    # The demo survey's results are public, but it is still open: no figures yet, and a link to
    # the closed previous wave, where (seeded without responses) every indicator is below k.
    page.get_by_role("link", name="Bekijk de resultaten").click()
    page.get_by_text("De vragenlijst is nog open.").wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_text("had een goede ervaring").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Bekijk de resultaten van de vorige ronde: Najaar 2026").click()
    page.get_by_role("heading", name="Resultaten").wait_for()
    assert page.get_by_text("Te weinig antwoorden om te laten zien").count() == demo.indicators.count()
    assert_accessible(page)


def test_public_results_of_the_previous_wave_on_a_phone(new_page) -> None:
    reseed_reference_data()
    call_command("seed_demo", responses=60, verbosity=0)
    previous = Survey.objects.get(municipality__slug="rivierstad", wave_label=PREVIOUS_WAVE)
    for language, direction in (("nl", "ltr"), ("ar", "rtl")):
        page = new_page(locale=language)
        page.goto(f"/results/{previous.public_id}/")
        assert page.locator("html").get_attribute("dir") == direction
        assert page.locator(".result-share").count() > 0  # 45 respondents: figures, not "too few"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
        if language == "nl":
            save_screenshot(page, "17-public-results")


def test_arabic_on_a_phone_is_right_to_left(demo: Survey, new_page) -> None:
    page = new_page(locale="ar")
    page.goto(link(demo))
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert page.locator('link[href$="bootstrap.rtl.min.css"]').count() == 1
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    save_screenshot(page, "14-newcomer-arabic-start")
    page.locator("button[value=yes]").click()
    first_step = True
    while "/answer/check/" not in page.url:
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
        if first_step:
            fill_visible_page(page)
            save_screenshot(page, "15-newcomer-arabic-step")
            first_step = False
        next_page(page)
    assert_accessible(page)
    page.locator("form[data-submit-once] button[type=submit]").click()
    page.wait_for_url("**/answer/thanks/")
    assert_accessible(page)
    assert Response.objects.get().language == "ar"
    page.locator("a.results-link").click()
    page.wait_for_url("**/results/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_keyboard_only_journey(demo: Survey, new_page) -> None:
    page = new_page(locale="en-GB", viewport={"width": 1024, "height": 800})
    page.goto(link(demo))
    # Tab to "Yes, I take part" and press Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "yes":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/answer/1/")
    pages = 0
    while "/answer/check/" not in page.url:
        pages += 1
        questions = page.locator(".question:visible").count()
        page.locator("body").focus()
        # Each radio group: Tab into it and choose with the arrow keys; then Tab on to Next.
        for _ in range(questions * 15 + 30):
            page.keyboard.press("Tab")
            active = page.evaluate("[document.activeElement.type, document.activeElement.value]")
            if active[0] == "radio":
                page.keyboard.press("ArrowDown" if page.locator("html").get_attribute("dir") == "ltr" else "ArrowUp")
                page.keyboard.press("Space")
            elif active[0] == "textarea":
                page.keyboard.type("I am learning Dutch.")
            elif active == ["submit", "next"]:
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", "the focused button must show its focus"
                page.keyboard.press("Enter")
                break
        page.wait_for_load_state()
        assert pages < 40
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('form[data-submit-once]') !== null"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/answer/thanks/")
    assert Response.objects.get().status == ResponseStatus.COMPLETED


def test_without_javascript_conditions_still_work(demo: Survey, new_page) -> None:
    page = new_page(locale="en-GB", javascript=False)
    page.goto(link(demo))
    page.locator("button[value=yes]").click()
    fits = page.locator(".question[data-condition]")
    assert fits.count() == 1 and not fits.is_visible()
    page.locator('label[for="id_q-work-status_0"]').click()
    page.locator(NEXT).click()
    assert page.locator(".more-questions").is_visible()
    assert page.locator(".question[data-condition]").is_visible()
    # (axe-core is itself JavaScript, so it runs on the same pages in the other tests.)


def test_resume_through_a_personal_link_in_a_new_browser(demo: Survey, new_page) -> None:
    _batch, (token,) = services.create_invitations(survey=demo, label="brief", size=1, created_by=None)
    phone = new_page(locale="en-GB")
    phone.goto(f"/s/{token}/")
    assert token not in phone.url
    phone.locator("button[value=yes]").click()
    for _ in range(3):
        next_page(phone)
    laptop = new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    laptop.goto(f"/s/{token}/")
    laptop.wait_for_url("**/answer/4/")
    assert laptop.get_by_text("Step 4 of 16").is_visible()
    answer_everything(laptop, check=False)
    laptop.locator("form[data-submit-once] button").click()
    laptop.wait_for_url("**/answer/thanks/")
    again = new_page(locale="en-GB")
    again.goto(f"/s/{token}/")
    again.get_by_role("heading", name="You have already answered. Thank you!").wait_for()
    assert_accessible(again)
    assert Response.objects.count() == 1


def test_english_pages_are_accessible_and_a_double_click_and_two_tabs_submit_one_response(
    demo: Survey, new_page
) -> None:
    page = new_page(locale="en-GB")
    page.goto(link(demo))
    assert_accessible(page)
    page.locator("button[value=yes]").click()
    answer_everything(page)  # axe-core on every page, in English
    assert_accessible(page)
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    page.locator("form[data-submit-once] button").dblclick()
    second_tab.locator("form[data-submit-once] button").click()
    page.wait_for_url("**/answer/thanks/")
    second_tab.wait_for_url("**/answer/thanks/")
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1
    assert Response.objects.count() == 1


def test_error_pages_are_accessible(demo: Survey, new_page) -> None:
    demo.questions.filter(code="work-status").update(required=True)
    page = new_page(locale="en-GB")
    response = page.goto("/s/this-is-not-a-link/")
    assert response.status == 404
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_accessible(page)
    page.goto(link(demo))
    page.locator("button[value=yes]").click()
    page.locator(NEXT).click()  # the first question is required
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page)
    save_screenshot(page, "16-newcomer-error")
    page.goto("/accessibility/")
    assert_accessible(page)


def test_readable_at_320_px_which_is_a_640_px_window_at_200_percent_zoom(demo: Survey, new_page) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(link(demo))
    page.locator("button[value=yes]").click()
    for _ in range(3):
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('.question:not([hidden]) .choice-label')]"
            ".map(e => e.getBoundingClientRect().height))"
        )
        assert smallest >= 44  # touch targets: 44 px preferred, 24 px required
        next_page(page)


# Text at 200% is emulated by doubling the root font size. That is what a browser's own text size
# setting does (Chrome's "font size" raises the default 16 px that rem and em build on) while pixel
# sizes stay as they are; Playwright has no switch for that setting. Browser zoom would scale pixels
# too, which the 640 px window above already covers (320 px at 200% zoom).
LARGE_TEXT = "html { font-size: 200% !important; }"
NARROW = {"width": 320, "height": 640}
# Links and buttons that are smaller than ``min`` px high, except links inside a sentence (WCAG 2.2
# exempts those), the skip link while it is hidden and the hidden default button (no one can aim at it).
SMALL_TARGETS = """min => [...document.querySelectorAll(
    'a, button, .choice-label, input:not([type=hidden]):not(.choice-input), textarea')]
  .filter(e => e.checkVisibility() && !e.matches('.visually-hidden, .visually-hidden-focusable:not(:focus)')
    && !(e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.closest('p')))
  .filter(e => e.getBoundingClientRect().height < min)
  .map(e => e.outerHTML.slice(0, 80) + ' is ' + Math.round(e.getBoundingClientRect().height) + ' px high')"""


def small_targets(page, min_height: int = 24) -> list[str]:
    return page.evaluate(SMALL_TARGETS, min_height)


def sideways_scrolling(page) -> str:
    wide, seen = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"{wide} px wide on a {seen} px screen" if wide > seen else ""


def test_no_sideways_scrolling_with_200_percent_text_on_a_320_px_screen(demo: Survey, new_page) -> None:
    """Every newcomer page at 320 px with text at 200%, in each of the seven languages with the
    demo's real texts (the bank's in all seven): nothing scrolls sideways, every target stays at
    least 24 px high, axe-core finds nothing."""
    assert demo.languages == ["nl", "en", "ar", "uk", "ti", "fa", "tr"]
    demo.questions.filter(code="work-status").update(required=True)
    problems = []
    for language in demo.languages:
        page = new_page(locale=language, viewport=NARROW)

        def check(what: str, page=page, language=language) -> None:
            page.wait_for_load_state()
            # A constructed style sheet: the CSP refuses an added <style> element, as it should.
            page.evaluate(
                "css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
                " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
                LARGE_TEXT,
            )
            found = [sideways_scrolling(page), *small_targets(page), *accessibility_violations(page)]
            problems.extend(f"{language} {what}: {problem}" for problem in found if problem)

        page.goto(link(demo))
        check("start")
        page.locator("button[value=no]").click()
        check("declined")
        page.goto(link(demo))
        page.locator("button[value=yes]").click()
        page.locator(NEXT).click()  # the first question is required
        check("step with errors")
        step = 0
        while "/answer/check/" not in page.url:
            step += 1
            check(f"step {step}")
            next_page(page)
        check("check")
        Answer.objects.filter(question__code="work-status").delete()
        page.locator("form[data-submit-once] button[type=submit]").click()
        check("check with a missing answer")
        page.goto("/answer/1/")
        next_page(page)
        page.goto("/answer/check/")
        page.locator("form[data-submit-once] button[type=submit]").click()
        page.wait_for_url("**/answer/thanks/")
        check("thanks")
        page.locator("a.results-link").click()
        check("public results")
        page.goto("/answer/delete/")
        check("delete")
        page.locator("button[value=yes]").click()
        check("deleted")
        page.goto(f"/accessibility/?lang={language}")
        check("accessibility")
        page.goto("/s/not-a-link/")
        check("unknown link")
        page.goto("/answer/not-a-page/")
        check("wrong link under /answer/")
        page.goto("/answer/1/?lang=%00")
        check("a NUL character")
    assert problems == []


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)")."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in colour[colour.index("(") + 1 : -1].split(",")[:3])
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_outline_stands_out_on_the_dark_header_and_on_the_page(demo: Survey, new_page) -> None:
    page = new_page(locale="en-GB")
    page.goto(link(demo))
    header = page.evaluate("getComputedStyle(document.querySelector('.respond-header')).backgroundColor")
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    outline = "[document.activeElement.className, getComputedStyle(document.activeElement).outlineColor]"
    seen = {}
    for _ in range(12):
        page.keyboard.press("Tab")
        name, colour = page.evaluate(outline)
        if "skip-link" in name:  # shown on top of the header
            seen["skip link"] = contrast(colour, header)
        elif "language-button" in name:
            seen["language"] = contrast(colour, header)
        elif "btn-primary" in name:
            seen["page"] = contrast(colour, body)
            break
    assert set(seen) == {"skip link", "language", "page"}
    assert min(seen.values()) >= 3, seen


def test_links_and_buttons_are_large_enough_to_tap(demo: Survey, new_page) -> None:
    demo.questions.filter(code="work-status").update(required=True)
    page = new_page(locale="en-GB")
    page.goto(link(demo))
    assert small_targets(page) == []
    assert page.locator("footer a").bounding_box()["height"] >= 24
    page.locator("button[value=yes]").click()
    page.locator(NEXT).click()  # the first question is required: the error summary's links
    assert small_targets(page) == []
    page.goto("/answer/check/")
    heights = [link.bounding_box()["height"] for link in page.locator("a.change-link").all()]
    assert heights and min(heights) >= 44
    assert small_targets(page) == []


def test_back_comes_before_next_and_enter_in_a_field_means_next(demo: Survey, new_page) -> None:
    page = new_page(locale="en-GB")
    page.goto(link(demo))
    page.locator("button[value=yes]").click()
    page.goto("/answer/2/")
    buttons = page.locator("#page-form .respond-buttons button")
    assert [button.get_attribute("value") for button in buttons.all()] == ["back", "next"]
    back, next_ = (button.bounding_box()["x"] for button in buttons.all())
    assert back < next_  # on the screen too (left to right)
    page.locator(".choice-label").first.click()
    page.keyboard.press("Tab")
    order = []
    for _ in range(80):
        page.keyboard.press("Tab")
        value = page.evaluate("document.activeElement.value")
        if value in ("back", "next"):
            order.append(value)
        if len(order) == 2:
            break
    assert order == ["back", "next"]
    page.locator(".choice-input").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/answer/3/")
