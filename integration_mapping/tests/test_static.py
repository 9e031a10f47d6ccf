from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders


def test_plotly_and_bootstrap_come_from_installed_packages() -> None:
    for path in ("plotly/plotly.min.js", "bootstrap/css/bootstrap.min.css", "bootstrap/css/bootstrap.rtl.min.css"):
        found = finders.find(path)
        assert found and Path(found).stat().st_size > 10_000, path


def test_only_plotly_min_js_is_exposed_from_plotly() -> None:
    assert finders.find("plotly/widgetbundle.js") in (None, [])
