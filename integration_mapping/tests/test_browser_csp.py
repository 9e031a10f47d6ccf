"""The Content Security Policy holds on every main page in a real Chromium: no inline style or
script is refused (so nothing of the page silently goes missing), and the plotly charts still draw.

The policy has no 'unsafe-inline': data colours and widths are SVG attributes, plotly.js's own
rules come from css/plotly.css (templates/_plotly.html), scripts set styles through CSSOM, and the
one style attribute plotly.js writes (bold in hover labels) is allowed by its hash alone.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from integration_mapping.browser import NEXT, fill_visible_page, sign_in
from integration_mapping.testing import PASSWORD, World, add_education_question, question
from surveys import services
from surveys.models import Survey

RESPONDENTS = 24  # two age groups of 12: a breakdown with figures on both sides of k = 10

# Every refused load or inline style/script fires securitypolicyviolation at the document; the
# listener hands it to the test, whichever page of the visit it happened on.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => window.cspViolation(
    [event.effectiveDirective, event.blockedURI, event.sourceFile + ":" + event.lineNumber, event.sample].join(" ")));
"""


class Visit:
    """A signed-in (or anonymous) page that records CSP violations and CSP console errors."""

    def __init__(self, page) -> None:
        self.page = page
        self.violations: list[str] = []
        page.context.expose_function("cspViolation", lambda text: self.violations.append(f"{page.url}: {text}"))
        page.context.add_init_script(LISTEN)
        page.on("console", self.console)

    def console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def open(self, url: str, *, charts: int = 0, hover: bool = True) -> None:
        self.page.goto(url)
        self.settle(charts=charts, hover=hover)

    def settle(self, *, charts: int = 0, hover: bool = True) -> None:
        """Wait until the page and its charts are drawn, then check it."""
        page = self.page
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-figure]").count() == charts, page.url
        for figure in page.locator("[data-figure]").all():
            # plotly drew the chart: its SVG is there, laid out by plotly's rules from css/plotly.css.
            figure.locator("svg.main-svg").first.wait_for()
            assert figure.evaluate("node => getComputedStyle(node.querySelector('.main-svg')).position") == "absolute"
            if hover:
                self.hover(figure)
        # No <style> element: plotly.js found its rules' stand-ins and injected none. (Style
        # attributes are there: CSSOM sets them, which the policy allows.)
        assert page.evaluate("document.querySelectorAll('style').length") == 0, page.url
        # Violation reports are queued as tasks: a round trip through the page lets them arrive.
        page.evaluate("new Promise(resolve => setTimeout(resolve, 50))")
        assert self.violations == [], self.violations

    def hover(self, figure) -> None:
        """Hover the chart's bars until plotly shows a hover label, which it draws at run time
        (its first line in bold: the one style attribute the policy allows, by its hash)."""
        page = self.page
        for point in figure.locator(".point").all()[:10]:
            box = point.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
            if figure.locator(".hoverlayer .hovertext").count():
                page.mouse.move(0, 0)
                return
        raise AssertionError(f"no hover label on {page.url}")


@pytest.fixture
def visit(page) -> Iterator[Visit]:
    yield Visit(page)


@pytest.fixture
def waves(world_transactional: World) -> tuple[Survey, Survey]:
    """World A's survey answered by 24 people in two age groups and closed with public results, and
    its next wave, open for newcomers. Partner P's Education is asked in both."""
    world = world_transactional
    previous = world.survey
    add_education_question(previous)
    services.publish(survey=previous)
    alone = question(previous, "I often feel alone.")
    age = question(previous, "How old are you?")
    learn = question(previous, "I can learn what I want here.")
    has_work = question(previous, "Do you have paid work?")
    fits = question(previous, "My work fits what I can do.")
    for number in range(RESPONDENTS):
        values = {
            alone: 2 if number % 4 < 2 else 4,  # two answers of 12 people each: shown apart
            learn: 1 + (number * 2) % 5,
            age: "18-35" if number % 2 else "36-plus",
            has_work: "yes" if number % 3 else "no",
        }
        if number % 3:
            values[fits] = 1 + (number * 3) % 5
        response = services.start_response(survey=previous, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=values)
        assert services.submit_response(response=response, asked={each.pk for each in values})
    services.close(survey=previous)
    Survey.objects.filter(pk=previous.pk).update(results_public=True)
    current = services.copy_as_new_wave(survey=previous, wave_label="Najaar 2027")
    services.publish(survey=current)
    return previous, current


def survey_url(name: str, survey: Survey, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **kwargs})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_pages_and_their_charts_keep_the_policy(
    visit: Visit, world_transactional: World, waves: tuple[Survey, Survey]
) -> None:
    world, (previous, current) = world_transactional, waves
    page = visit.page
    sign_in(page, world.a_admin.username, PASSWORD)
    visit.open(survey_url("results", previous), charts=1)
    by = question(previous, "How old are you?").code
    visit.open(survey_url("results", previous) + f"?by={by}&compare=none", charts=1)
    assert page.locator("#results-table").get_by_text("18 to 35").count() > 0  # a breakdown with figures
    visit.open(survey_url("results_indicator", previous, code="bonds"))
    assert page.locator(".stack-part").count() >= 2
    visit.open(survey_url("results_report", previous), charts=1)
    visit.open(reverse("coverage", kwargs={"slug": world.a.slug}), charts=1)
    visit.open(reverse("framework"), charts=1)
    visit.open(survey_url("survey", current))  # the builder
    visit.open(survey_url("channel_list", current))
    visit.open(survey_url("survey_texts", current, language="en"))
    visit.open(survey_url("export_list", previous))
    page.get_by_role("button", name="Prepare as XLSX").click()
    page.locator("#export-bar").wait_for()
    visit.settle()
    # The detector itself works: an inline style attribute is refused and reported.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("new Promise(resolve => setTimeout(resolve, 50))")
    assert any("style-src-attr" in violation for violation in visit.violations), visit.violations
    visit.violations.clear()

    page.context.clear_cookies()
    sign_in(page, world.partner_user.username, PASSWORD)
    # Its circle is of the open wave, which nobody answered yet: no bar to hover.
    visit.open(reverse("partner_workspace", kwargs={"slug": world.a.slug}), charts=1, hover=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_newcomer_pages_keep_the_policy(visit: Visit, waves: tuple[Survey, Survey]) -> None:
    previous, current = waves
    page = visit.page
    visit.open(f"/s/{current.channels.first().token}/")  # the entry link leads to the consent page
    assert page.url.endswith("/answer/")
    page.locator("button[value=yes]").click()
    steps = 0
    while "/answer/check/" not in page.url:
        visit.settle()
        fill_visible_page(page)
        page.locator(NEXT).click()
        page.wait_for_load_state()
        steps += 1
        assert steps < 20, page.url
    visit.settle()  # the review page
    page.locator("form[data-submit-once] button[type=submit]").click()
    page.wait_for_url("**/answer/thanks/")
    visit.settle()
    for language in ("nl", "en"):
        visit.open(reverse("public_results", kwargs={"public_id": previous.public_id}) + f"?lang={language}")
        assert page.locator("svg.result-bar rect.result-bar-fill").count() > 0


def test_the_policy_allows_nothing_inline_nor_eval(db: None) -> None:
    response = Client().get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy
    assert directives["style-src"] == "'self'"
    # Of style attributes, only plotly.js's bold (the <b> of hover labels) and nothing else.
    bold = base64.b64encode(hashlib.sha256(b"font-weight:bold").digest()).decode()
    assert directives["style-src-attr"] == f"'unsafe-hashes' 'sha256-{bold}'"
    assert directives["script-src"].split()[0] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
