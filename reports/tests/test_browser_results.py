"""The municipality's results in a real Chromium: the dashboard with the integration circle, a
breakdown, a wave comparison and an indicator page, with axe-core on every page.

The data is made through the product's services: the world's survey with six indicators and a
background question with three groups, published as the previous wave (40 respondents, closed),
and a copy as the current wave (40 respondents, open), a reference value and a marked quote.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import pytest
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from integration_mapping.testing import PASSWORD, World, bilingual, question
from reports import services as report_services
from reports.charts import SUPPRESSED_GREY
from reports.queries import WHERE_NOW
from surveys import services
from surveys.models import Answer, Question, Survey
from surveys.scales import QuestionType, Section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Indicator code -> (base scale point 1-5, change per background group step). The world's survey
# already has Work ("My work fits what I can do", only for those with work) and Bonds ("I often
# feel alone", reverse scored: its base is the scale point answered, so 2 scores high).
PROFILES = {
    "work": (3, 1),
    "housing": (2, 1),
    "education": (4, -1),
    "bonds": (2, 0),
    "bridges": (3, 1),
    "language-and-communication": (4, 0),
}
STATEMENTS = {
    "housing": [
        ("Mijn huis past bij mijn gezin.", "My home suits my family."),
        ("Ik woon veilig.", "I live safely."),
    ],
    "education": [
        ("Ik kan een opleiding volgen.", "I can follow a course."),
        ("School helpt mij.", "School helps me."),
    ],
    "bridges": [("Ik ken mensen uit de buurt.", "I know people in the neighbourhood.")],
    "language-and-communication": [
        ("Ik kan mij redden in het Nederlands.", "I get by in Dutch."),
        ("Ik begrijp brieven van de gemeente.", "I understand letters from the municipality."),
    ],
}
YEARS = [
    ("under-1", "Korter dan 1 jaar", "Less than 1 year"),
    ("1-5", "1 tot 5 jaar", "1 to 5 years"),
    ("over-5", "Langer dan 5 jaar", "More than 5 years"),
]
GROUP_SIZES = (14, 13, 13)  # 40 respondents per wave
# Only 4 of the newest group have work, so Work (asked to those with work) is below k = 10 there.
WITH_WORK = (4, 11, 12)
OPEN_TEXTS = [
    "Ik heb werk gevonden en wil nu beter Nederlands leren.",
    "Mijn huis is te klein voor ons gezin.",
    "Ik wil graag een opleiding doen, maar ik weet niet hoe.",
    "My children are happy at school, and I am learning Dutch.",
]
QUOTE = "Ik heb werk gevonden en wil nu beter Nederlands leren."
QUOTED = "language-and-communication"  # the indicator the quote is marked for


@dataclass
class Results:
    world: World
    previous: Survey
    current: Survey
    by: str  # the background question's code, for ?by=

    def url(self, name: str = "results", **kwargs: str) -> str:
        return reverse(name, kwargs={"slug": self.world.a.slug, "public_id": self.current.public_id, **kwargs})


def scale_point(code: str, group: int, respondent: int, index: int, wave: int) -> int:
    base, step = PROFILES[code]
    lift = wave if code != "bonds" else -wave  # the current wave is a little better everywhere
    wobble = (respondent + 2 * index + len(code)) % 3 - 1
    return max(1, min(5, base + step * (group - 1) + (lift if respondent % 3 == 0 else 0) + wobble))


def build_questions(world: World) -> str:
    """Four more indicators with their agreement questions and a three-group background question
    in the world's (draft) survey. Returns the background question's code."""
    survey = world.survey
    for code, statements in STATEMENTS.items():
        indicator = Indicator.objects.get(code=code)
        survey.indicators.add(indicator)
        for nl, en in statements:
            services.add_own_question(
                survey=survey,
                section=Section.INDICATOR,
                indicator=indicator,
                type=QuestionType.AGREEMENT,
                text=bilingual(nl, en),
            )
    years = services.add_own_question(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.SINGLE,
        text=bilingual("Hoe lang woon je in Nederland?", "How long have you lived in the Netherlands?"),
        options=[{"value": value, "label": bilingual(nl, en)} for value, nl, en in YEARS],
    )
    # The indicator pages show the written answers to the bank's "Where are you now, and where do
    # you want to go?" (code where-now-where-to); the world's own question has the same text.
    opened = question(survey, "Where are you now, and where do you want to go?")
    Question.objects.filter(pk=opened.pk).update(code=WHERE_NOW)
    return years.code


def answer_wave(survey: Survey, wave: int) -> None:
    """40 completed respondents through the services, their answers varying by indicator and group."""
    has_work = question(survey, "Do you have paid work?")
    fits = question(survey, "My work fits what I can do.")
    lonely = question(survey, "I often feel alone.")
    age = question(survey, "How old are you?")
    years = question(survey, "How long have you lived in the Netherlands?")
    opened = question(survey, "Where are you now, and where do you want to go?")
    scored = {
        code: list(survey.visible_questions().filter(indicator__code=code, type=QuestionType.AGREEMENT))
        for code in STATEMENTS
    }
    respondent = 0
    for group, size in enumerate(GROUP_SIZES):
        for place in range(size):
            values: dict[Question, object] = {
                years: YEARS[group][0],
                age: "18-35" if respondent % 2 else "36-plus",
                lonely: scale_point("bonds", group, respondent, 0, wave),
                has_work: "yes" if place < WITH_WORK[group] else "no",
            }
            if place < WITH_WORK[group]:
                values[fits] = scale_point("work", group, respondent, 0, wave)
            for code, questions in scored.items():
                for index, each in enumerate(questions):
                    values[each] = scale_point(code, group, respondent, index, wave)
            if respondent % 3 == 0:
                values[opened] = OPEN_TEXTS[(respondent // 3) % len(OPEN_TEXTS)]
            response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
            services.save_answers(response=response, answers=values)
            assert services.submit_response(response=response, asked={each.pk for each in values})
            respondent += 1


@pytest.fixture
def results(world_transactional: World) -> Results:
    world = world_transactional
    by = build_questions(world)
    previous = world.survey
    services.publish(survey=previous)
    answer_wave(previous, wave=0)
    services.close(survey=previous)
    current = services.copy_as_new_wave(survey=previous, wave_label="Najaar 2027")
    services.publish(survey=current)
    answer_wave(current, wave=1)
    admin = world.a_admin
    report_services.save_references(
        survey=current,
        values={Indicator.objects.get(code="housing"): {"percent": 55.0, "source": "CBS", "year": 2025}},
        by=admin,
    )
    quote = Answer.objects.filter(survey=current, question__section=Section.OPEN, text=QUOTE).first()
    assert report_services.toggle_quote(
        survey=current, indicator=Indicator.objects.get(code=QUOTED), answer_id=str(quote.pk), by=admin
    )
    return Results(world=world, previous=previous, current=current, by=by)


def open_results(page, url: str) -> None:
    page.goto(url)
    page.locator(".results-circle .main-svg").first.wait_for()


def check(page, shot: str = "") -> None:
    assert accessibility_violations(page) == [], page.url
    if shot:
        save_screenshot(page, shot)


def traces(page) -> list[dict]:
    """The plotly traces the page drew: what a hover shows is in their hovertext."""
    return page.evaluate(
        """() => document.querySelector('.results-circle').data.map(trace => ({
            type: trace.type, name: trace.name, r: trace.r, hovertext: trace.hovertext,
            colour: trace.marker && trace.marker.color}))"""
    )


def table_rows(page) -> dict[str, dict[str, str]]:
    """Per indicator name: the table's mean, share and n (without a breakdown)."""
    rows = {}
    for row in page.locator("#results-table tbody tr").all():
        name = row.locator("th a").inner_text().strip()
        if row.locator("td.figure-mean").count():
            rows[name] = {
                "code": row.get_attribute("data-indicator"),
                "mean": row.locator("td.figure-mean").inner_text().strip(),
                "share": row.locator("td.figure-share").inner_text().strip(),
                "n": row.locator("td.figure-n").inner_text().strip(),
            }
    return rows


def bars(page) -> dict[str, tuple[float, str]]:
    """Per indicator name: the bar's r (its mean) and its hover text, over the bar traces."""
    shown = {}
    for trace in traces(page):
        if trace["type"] != "barpolar":
            continue
        for r, text in zip(trace["r"], trace["hovertext"], strict=True):
            shown[re.match(r"<b>(.*?)</b>", text).group(1)] = (r, text)
    return shown


def hover_bar(page, trace_index: int, point_index: int) -> str:
    """Moves the mouse to the middle of one bar and returns the hover box's text (its lines joined by
    spaces). The bar's bounding box centre lies inside a narrow wedge."""
    point = page.locator(".results-circle .barlayer .trace").nth(trace_index).locator(".point").nth(point_index)
    box = point.bounding_box()
    page.mouse.move(0, 0)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    hover = page.locator(".results-circle .hoverlayer .hovertext")
    hover.first.wait_for()
    return hover.first.evaluate(
        "box => Array.from(box.querySelectorAll('tspan.line'), line => line.textContent).join(' ') || box.textContent"
    )


def test_dashboard_circle_matches_the_table_and_the_hover(page, results: Results) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, results.world.a_admin.username, PASSWORD)
    open_results(page, results.url() + "?compare=none")
    assert page.get_by_text("40 people completed the questionnaire").is_visible()

    rows = table_rows(page)
    assert len(rows) == 6, rows
    shown = bars(page)
    assert set(shown) == set(rows)
    for name, row in rows.items():
        r, text = shown[name]
        assert str(round(r)) == row["mean"], name
        assert f"Average score (0-100): {row['mean']}<br>" in text, text
        assert f"Good experience (%): {row['share']}<br>" in text, text
        assert f"Respondents: {row['n']}" in text, text
    # Not flat: the indicators differ.
    assert len({row["mean"] for row in rows.values()}) >= 4, rows
    assert "Reference, wider population (%): 55%" in shown["Housing"][1]
    housing = page.locator('#results-table tr[data-indicator="housing"]').inner_text()
    assert "55%" in housing and "CBS, 2025" in housing, housing

    # A real hover over each bar of the first bar trace: the box says what the table says.
    bar_traces = [trace for trace in traces(page) if trace["type"] == "barpolar"]
    for index, text in enumerate(bar_traces[0]["hovertext"]):
        name = re.match(r"<b>(.*?)</b>", text).group(1)
        box = hover_bar(page, 0, index)
        row = rows[name]
        assert name in box, box
        assert f"Average score (0-100): {row['mean']}" in box, box
        assert f"Good experience (%): {row['share']}" in box, box
        assert f"Respondents: {row['n']}" in box, box
    page.mouse.move(0, 0)
    assert errors == []
    check(page, "30-results-dashboard")


def test_breakdown_shows_groups_and_greys_out_too_few(page, results: Results) -> None:
    sign_in(page, results.world.a_admin.username, PASSWORD)
    open_results(page, results.url() + f"?by={results.by}&compare=none")
    header = page.locator("#results-table thead").inner_text()
    for _value, _nl, en in YEARS:
        assert en in header
    # Work: 4 people with work in the newest group (few), so the next-smallest group is hidden too.
    work = page.locator('#results-table tr[data-indicator="work"]')
    assert work.locator(".too-few").count() == 2
    assert work.locator(".figure-mean").count() == 2  # everyone and "More than 5 years"
    assert page.locator('#results-table tr[data-indicator="housing"] .too-few').count() == 0
    assert page.locator("#results-table .figure-mean").count() == 6 * 4 - 2
    # The circle shows the first two groups side by side; Work is grey in both.
    grey = [trace for trace in traces(page) if trace["type"] == "barpolar" and trace["colour"][0] == SUPPRESSED_GREY]
    assert len(grey) == 2, grey
    for trace in grey:
        assert trace["r"] == [100] and "<b>Work</b>" in trace["hovertext"][0]
        assert "Too few responses" in trace["hovertext"][0]
    groups = {trace["name"] for trace in traces(page) if trace["type"] == "barpolar"}
    assert {"Less than 1 year", "1 to 5 years"} <= groups
    check(page, "31-results-breakdown")


def test_comparison_with_the_previous_wave(page, results: Results) -> None:
    sign_in(page, results.world.a_admin.username, PASSWORD)
    open_results(page, results.url() + f"?compare={results.previous.public_id}")
    assert page.get_by_text("compared with Voorjaar 2027").is_visible()
    header = page.locator("#results-table thead").inner_text()
    assert "Change since Voorjaar 2027" in header
    changes = [row.locator("td").nth(3).inner_text().strip() for row in page.locator("#results-table tbody tr").all()]
    assert len(changes) == 6 and all(re.fullmatch(r"[+−]\d+|0", change) for change in changes), changes
    assert any(change.startswith("+") for change in changes), changes
    assert page.locator("#id_compare").input_value() == results.previous.public_id
    check(page, "32-results-comparison")

    # Without ?compare the dashboard compares with the previous wave by default.
    open_results(page, results.url())
    assert page.locator("#id_compare").input_value() == results.previous.public_id
    assert "Change since Voorjaar 2027" in page.locator("#results-table thead").inner_text()

    # The same with a breakdown: each cell has its change.
    open_results(page, results.url() + f"?by={results.by}&compare={results.previous.public_id}")
    assert page.locator("#results-table .figure-change").count() == page.locator("#results-table .figure-mean").count()
    assert page.locator('#results-table tr[data-indicator="work"] .too-few').count() == 2
    check(page)


def test_indicator_page_shows_distributions_and_the_quote(page, results: Results) -> None:
    sign_in(page, results.world.a_admin.username, PASSWORD)
    open_results(page, results.url() + "?compare=none")
    page.locator(f'#results-table tr[data-indicator="{QUOTED}"] th a').click()
    page.get_by_role("heading", name="Answers per question").wait_for()
    assert page.url.split("?")[0].endswith(results.url("results_indicator", code=QUOTED))
    row = page.locator("#indicator-table tbody tr").first
    assert row.locator("th").inner_text() == "Everyone"
    assert row.locator("td").nth(2).inner_text() == "40"
    distributions = page.locator(".distribution")
    assert distributions.count() == 2
    assert "I get by in Dutch." in distributions.first.inner_text()
    for distribution in distributions.all():
        assert distribution.locator(".stack-part:not(.stack-hidden)").count() >= 2
        cells = distribution.locator(".distribution-table tbody td").all_inner_texts()
        assert cells[-1] == "40" and all(cell.endswith("%") for cell in cells[:-1]), cells
        assert "True" in distribution.locator(".distribution-table thead").inner_text()
    quotes = page.locator(".quote")
    assert quotes.count() == 14  # every third of the current wave's 40 respondents wrote something
    marked = quotes.filter(has=page.locator(".badge", has_text="for the report"))
    assert marked.count() == 1
    assert marked.locator("blockquote").inner_text() == QUOTE
    check(page, "33-results-indicator")

    # Work: 27 people with work spread over five answers, each below k, so the answers are shown
    # only together; the quote is marked for the other indicator, not here.
    page.goto(results.url("results_indicator", code="work") + "?compare=none")
    fits = page.locator(".distribution").filter(has_text="My work fits what I can do.")
    assert fits.locator(".stack .stack-hidden").count() == 1
    assert "too few to show apart" in fits.locator(".distribution-table thead").inner_text()
    assert page.locator(".quote .badge").count() == 0
    check(page)

    # Housing, with its reference value, in a breakdown.
    page.goto(results.url("results_indicator", code="housing") + f"?by={results.by}&compare=none")
    assert page.get_by_text("Reference for the wider population: 55% with a good experience (CBS, 2025).").is_visible()
    assert page.locator("#indicator-table tbody tr").count() == 5  # everyone, three groups, no answer
    assert page.locator(".distribution").count() == 2
    check(page)
