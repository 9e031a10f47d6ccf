from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: object, key: str) -> object:
    """``{{ question.text|get_item:language }}``: a per-language text, or "" when there is none."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
