"""Shared pieces of the staff views: the area gate, fetching through the engine, errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import render

from safeharbor.core.http import StaffRequest

from .. import access


def area_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in member whose role may view people (the navigation's permission)."""

    @login_required
    @wraps(view)
    def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = request.membership
        if membership is None or not membership.has_perm("survivors.person.view"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def get_visible(
    request: StaffRequest, queryset: models.QuerySet, pk: int, action: str = "view"
) -> Any:
    """The record if the member may ``action`` it, else 404 (existence is not revealed)."""
    obj = access.visible(queryset, request.membership, action).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def render_form(
    request: StaffRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
    multipart: bool = False,
    person: Any = None,
) -> HttpResponse:
    return render(
        request,
        "survivors/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": back,
            "intro": intro,
            "multipart": multipart,
            "person": person,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
