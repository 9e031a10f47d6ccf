from __future__ import annotations

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators.models import Domain, Indicator
from reports.charts import CIRCLE_COLUMNS, figure_json, integration_circle


def circle_segments(indicators: list[Indicator]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "number": indicator.number,
                "indicator": indicator.name,
                "domain": indicator.domain.name,
                "colour": indicator.domain.colour,
            }
            for indicator in indicators
        ],
        columns=CIRCLE_COLUMNS,
    )


@login_required
def framework(request: HttpRequest) -> HttpResponse:
    """The framework explained: its four domains, its fourteen indicators and the empty circle."""
    indicators = list(Indicator.objects.in_circle_order())
    domains = Domain.objects.prefetch_related("indicators")
    figure = integration_circle(circle_segments(indicators), title=_("The integration circle"))
    return render(request, "indicators/framework.html", {"domains": domains, "figure": figure_json(figure)})
