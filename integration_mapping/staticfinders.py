"""Serve plotly.js from the installed plotly package, so that no page loads it from a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class PlotlyFinder(BaseFinder):
    """Exposes ``plotly/plotly.min.js`` and nothing else of plotly's package data."""

    prefix = "plotly"
    name = "plotly.min.js"

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.source = Path(plotly.__file__).resolve().parent / "package_data" / self.name
        self.storage = FileSystemStorage(location=self.source.parent)
        self.storage.prefix = self.prefix

    def check(self, **kwargs: object) -> list:
        return []

    def find(self, path: str, find_all: bool = False) -> str | list[str]:
        if path == f"{self.prefix}/{self.name}" and self.source.is_file():
            return [str(self.source)] if find_all else str(self.source)
        return []

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        yield self.name, self.storage
