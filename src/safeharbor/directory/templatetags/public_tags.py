"""Template helpers for the public site."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def other_languages(context: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, name in that language, URL of this page in it) for every other site language."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    result = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        result.append(
            (code, get_language_info(code)["name_local"].capitalize(), translate_url(path, code))
        )
    return result


@register.filter
def local_time(value: Any, zone: Any) -> Any:
    """A datetime shown in the given time zone."""
    return value.astimezone(zone) if value else value


@register.simple_tag
def language_name_translated_safe(language: Any) -> str:
    """A directory ``Language`` shown in the visitor's language when Django knows it."""
    from safeharbor.directory.forms import language_label

    return language_label(language.code, language.name)
