"""Base views, DRF viewsets and serializers that go through the permission engine, so no
area re-invents row or category checks.

Django class-based views::

    class PersonDetail(ProtectedObjectMixin, DetailView):
        model = Person                      # objects = ProtectedQuerySet.as_manager()

    class PersonList(ProtectedListMixin, ListView):
        model = Person

DRF::

    class PersonViewSet(ProtectedViewSetMixin, viewsets.ModelViewSet):
        queryset = Person.objects.all()
        serializer_class = PersonSerializer   # (CategoryFilteredSerializerMixin, ...)

Records outside the membership's reach are 404 (their existence is not revealed), fields of
categories it may not see are left out, and every view of a record and every list is
audited. A list (``many=True``) asks the engine about its whole page at once
(``hidden_fields_many``), so its cost in queries does not grow with the number of rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE

from .permissions import (
    hidden_fields,
    hidden_fields_many,
    is_protected,
    record_list,
    record_view,
    visible_categories,
)

__all__ = [
    "CategoryFilteredListSerializer",
    "CategoryFilteredSerializerMixin",
    "ProtectedListMixin",
    "ProtectedObjectMixin",
    "ProtectedViewSetMixin",
    "api_membership",
    "request_membership",
]

DRF_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def request_membership(request: Any) -> Any:
    return getattr(request, "membership", None)


def api_membership(request: Any) -> Any:
    """The membership of an API request (token or verified session)."""
    inner = getattr(request, "_request", request)
    return getattr(inner, "api_membership", None) or getattr(inner, "membership", None)


class ProtectedObjectMixin:
    """For DetailView/UpdateView/DeleteView: the object comes from ``visible_to`` for
    ``permission_action`` (default from the view: view, change or delete)."""

    permission_action: str | None = None
    request: Any
    model: type[models.Model]

    def get_permission_action(self) -> str:
        if self.permission_action:
            return self.permission_action
        if self.request.method in {"POST", "PUT", "PATCH"} and hasattr(self, "form_class"):
            return "change"
        return "view"

    def get_queryset(self) -> models.QuerySet:
        base = super().get_queryset()  # type: ignore[misc]
        return base.visible_to(request_membership(self.request), self.get_permission_action())

    def get_object(self, queryset: Any = None) -> models.Model:
        obj = super().get_object(queryset)  # type: ignore[misc]
        membership = request_membership(self.request)
        self.visible_categories = visible_categories(membership, obj)
        self.hidden_fields = hidden_fields(membership, obj)
        if self.request.method == "GET":
            record_view(membership, obj)
        return obj

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["visible_categories"] = getattr(self, "visible_categories", frozenset())
        context["hidden_fields"] = getattr(self, "hidden_fields", set())
        return context


class ProtectedListMixin:
    """For ListView: only visible records, and the list is audited (a count, never ids)."""

    request: Any

    def get_queryset(self) -> models.QuerySet:
        base = super().get_queryset()  # type: ignore[misc]
        return base.visible_to(request_membership(self.request), "view")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        shown = context.get("object_list")
        count = len(shown) if shown is not None else 0
        record_list(request_membership(self.request), self.get_queryset().model, count=count)
        return context


class ProtectedViewSetMixin:
    """For DRF viewsets: the queryset is ``visible_to`` for the action (list/retrieve: view,
    create: add, update: change, destroy: delete, custom actions: their name), reads are
    audited, and serializers get the membership to drop hidden categories."""

    request: Any
    action: str | None

    def engine_action(self) -> str:
        return DRF_ACTIONS.get(self.action or "", self.action or "view")

    def get_queryset(self) -> models.QuerySet:
        base = super().get_queryset()  # type: ignore[misc]
        return base.visible_to(api_membership(self.request), self.engine_action())

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["membership"] = api_membership(self.request)
        return context

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        record_view(api_membership(request), self.get_object())
        return response

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        data = response.data
        count = len(data.get("results", [])) if isinstance(data, dict) else len(data)
        record_list(api_membership(request), self.get_queryset().model, count=count)
        return response


# Where a list serializer leaves the hidden fields of its page for its rows, by record.
HIDDEN_FIELDS_CONTEXT_KEY = "_hidden_fields_by_record"


def _record_key(obj: models.Model) -> tuple[str, Any]:
    return (obj._meta.label_lower, obj.pk)


class CategoryFilteredListSerializer(serializers.ListSerializer):
    """The list of a ``CategoryFilteredSerializerMixin`` serializer: before its rows are
    represented, asks the engine which fields of every row of the page are hidden, in a
    constant number of queries, and leaves the answer in the context for the rows."""

    def to_representation(self, data: Any) -> Any:
        rows = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        protected = [row for row in rows if isinstance(row, models.Model) and is_protected(row)]
        if protected:
            membership = self.context.get("membership")
            by_record = self.context.setdefault(HIDDEN_FIELDS_CONTEXT_KEY, {})
            by_model: dict[type[models.Model], list[models.Model]] = {}
            for row in protected:
                by_model.setdefault(type(row), []).append(row)
            for model_rows in by_model.values():
                for pk, hidden in hidden_fields_many(membership, model_rows).items():
                    by_record[(model_rows[0]._meta.label_lower, pk)] = hidden
        return super().to_representation(rows)


class CategoryFilteredSerializerMixin:
    """Leaves out the fields of categories the request's membership may not see. With
    ``many=True`` the page is checked at once (``CategoryFilteredListSerializer``)."""

    context: dict[str, Any]

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> CategoryFilteredListSerializer:
        # DRF's own ``many_init``, with the page-aware list serializer.
        list_kwargs: dict[str, Any] = {}
        for key in LIST_SERIALIZER_KWARGS_REMOVE:
            value = kwargs.pop(key, None)
            if value is not None:
                list_kwargs[key] = value
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({k: v for k, v in kwargs.items() if k in LIST_SERIALIZER_KWARGS})
        return CategoryFilteredListSerializer(*args, **list_kwargs)

    def to_representation(self, instance: models.Model) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        hidden = self.context.get(HIDDEN_FIELDS_CONTEXT_KEY, {}).get(_record_key(instance))
        if hidden is None:
            hidden = hidden_fields(self.context.get("membership"), instance)
        for name in hidden:
            data.pop(name, None)
        return data
