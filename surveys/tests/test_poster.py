"""The poster a language school hangs on its wall: a call to action, how long it takes, that it is
anonymous, in every language of the survey; the channel's internal name only small, at the end."""

from __future__ import annotations

import re

from django.urls import reverse

from integration_mapping.testing import World
from surveys.models import Survey

CALL = {
    "nl": "Hoe gaat het met je hier? Vertel het ons.",
    "en": "How is your life here? Tell us.",
    "ar": "كيف حياتك هنا؟ أخبرنا.",
}
ANONYMOUS = {
    "nl": "Anoniem: we vragen niet naar je naam.",
    "en": "Anonymous: we do not ask your name.",
    "ar": "بدون اسم: لا نسألك عن اسمك.",
}


def poster(world: World) -> str:
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    kwargs = {"slug": world.a.slug, "channel_id": world.channel.public_id}
    return client.get(reverse("channel_poster", kwargs=kwargs)).content.decode()


def test_the_poster_calls_to_action_in_every_language_of_the_survey(world: World) -> None:
    world.survey.languages = ["nl", "en", "ar"]
    world.survey.title["ar"] = "كيف حالك؟"
    world.survey.save()
    content = poster(world)
    for language in ("nl", "en", "ar"):
        assert CALL[language] in content and ANONYMOUS[language] in content
    assert '<h1 class="poster-cta">Hoe gaat het met je hier? Vertel het ons.</h1>' in content  # base language first
    assert '<li lang="ar" dir="rtl">' in content
    assert "Het duurt ongeveer 2 minuten." in content and "It takes about 2 minutes." in content


def test_the_poster_says_how_many_minutes_about_20_seconds_a_question(world: World) -> None:
    survey: Survey = world.survey
    assert survey.minutes_to_answer() == 2  # five questions: at least two minutes
    work = survey.questions.filter(section="indicator").first()
    for number in range(20):  # 25 questions: 500 seconds, 8.3 minutes
        work.pk, work.code, work.position, work.condition_question = None, f"extra-{number}", 100 + number, None
        work.save()
    assert survey.minutes_to_answer() == 9
    assert "It takes about 9 minutes." in poster(world)


def test_the_channel_name_is_not_the_most_visible_text(world: World) -> None:
    content = poster(world)
    assert re.search(r'<p class="poster-channel"[^>]*>Link: via Partner P</p>', content)
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", content, re.S)
    assert headings and all("via Partner P" not in heading for heading in headings)
    assert content.index("poster-channel") > content.index("poster-qr")
