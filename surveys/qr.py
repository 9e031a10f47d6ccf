"""QR codes for survey links, made locally with segno (no outside service)."""

from __future__ import annotations

import io

import segno

KINDS = {"svg": "image/svg+xml", "png": "image/png"}


def render(url: str, kind: str) -> tuple[bytes, str]:
    """The QR code of ``url`` as an SVG or PNG file: (content, content type)."""
    buffer = io.BytesIO()
    code = segno.make(url, error="m")
    if kind == "svg":
        code.save(buffer, kind="svg", scale=10, border=4, xmldecl=True, svgns=True, title=url)
    else:
        code.save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue(), KINDS[kind]


def inline_svg(url: str) -> str:
    """The QR code as an <svg> element to put in a page (segno escapes the title)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True, svgclass="qr-code", title=url
    )
    return buffer.getvalue().decode()
