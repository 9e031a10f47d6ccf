from __future__ import annotations

import json

from django.urls import reverse

from integration_mapping.testing import World


def test_framework_page_needs_sign_in(world: World) -> None:
    response = world.client_for(None).get(reverse("framework"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_framework_page_lists_domains_and_draws_the_circle(world: World) -> None:
    response = world.client_for(world.partner_user).get(reverse("framework"), headers={"accept-language": "en"})
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("Markers and Means", "Social Connections", "Facilitators", "Foundation", "Digital Skills"):
        assert name in content
    figure = json.loads(content.split('id="circle-figure" type="application/json">')[1].split("</script>")[0])
    assert len(figure["data"]) == 4
    assert sum(len(trace["theta"]) for trace in figure["data"]) == 14
    assert 'src="/static/plotly/plotly.min.js"' in content


def test_framework_page_speaks_dutch(world: World) -> None:
    response = world.client_for(world.a_viewer).get(reverse("framework"), headers={"accept-language": "nl"})
    content = response.content.decode()
    assert "Sociale verbindingen" in content and "Randvoorwaarden" in content
    assert '<html lang="nl" dir="ltr">' in content
