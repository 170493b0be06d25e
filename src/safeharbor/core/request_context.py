"""The current request, for code (audit) that must know it without being passed it."""

from __future__ import annotations

from contextvars import ContextVar, Token

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("safeharbor_request", default=None)


def set_request(request: HttpRequest) -> Token:
    return _current.set(request)


def reset(token: Token) -> None:
    _current.reset(token)


def current_request() -> HttpRequest | None:
    return _current.get()


def current_request_id() -> str:
    request = _current.get()
    return getattr(request, "request_id", "") if request is not None else ""
