"""Shared REST API pieces: JSON errors that never leak internals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django validation errors from services as 400s."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": "You do not have access to this."}, status=403)
    return drf_exception_handler(exc, context)


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON, refusing NUL characters anywhere: no text field can store them (PostgreSQL
    rejects them outright), so they get a clear 400 instead of reaching the database."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _contains_nul(data):
            raise ParseError("Text may not contain NUL (\\u0000) characters.")
        return data


def _refuse_nul_in_fields(data: Any) -> None:
    values = [v for k in data for v in [k, *data.getlist(k)]] if hasattr(data, "getlist") else data
    if _contains_nul(list(values) if not isinstance(values, list) else values):
        raise ParseError("Text may not contain NUL (\\u0000) characters.")


class StrictFormParser(FormParser):
    """Form fields, refusing NUL characters (see ``StrictJSONParser``)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_fields(data)
        return data


class StrictMultiPartParser(MultiPartParser):
    """Multipart fields, refusing NUL characters in text fields; files are left as they are."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_fields(result.data)
        return result
