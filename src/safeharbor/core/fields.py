"""Model fields whose database value is AES-256-GCM ciphertext (see ``core.crypto``).

Code reads and writes plain Python values; the column only ever holds ``e1:<keyid>:...``.
Encrypted columns cannot be filtered or ordered on (only ``isnull``): search goes through
blind indexes (``core.blind_index``). ``safeharbor keys rotate`` finds every such column by
walking the models for ``EncryptedFieldMixin``, so a new area's fields are covered with no
registration.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from .crypto import decrypt_text, encrypt_text, is_ciphertext_text

__all__ = [
    "EncryptedDateField",
    "EncryptedFieldMixin",
    "EncryptedJSONField",
    "EncryptedTextField",
    "encrypted_fields",
]

ALLOWED_LOOKUPS = {"isnull"}


class EncryptedFieldMixin:
    """Encrypts on the way to the database and decrypts on the way back.

    Subclasses convert between the Python value and a string with ``_to_text`` and
    ``_from_text``.
    """

    encrypted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for forbidden in ("unique", "db_index", "primary_key"):
            if kwargs.get(forbidden):
                raise TypeError(
                    f"{type(self).__name__} cannot be {forbidden}: ciphertext differs on "
                    "every write. Index a blind index instead."
                )
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"

    def _to_text(self, value: Any) -> str:
        raise NotImplementedError

    def _from_text(self, text: str) -> Any:
        raise NotImplementedError

    # Python value -> database
    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt_text(self._to_text(value))

    # database -> Python value
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self._from_text(decrypt_text(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)  # type: ignore[attr-defined]
        return "" if value is None else self._to_text(value)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Free text (a name, an address, a phone number), stored encrypted.

    ``max_length`` limits the plaintext in forms and validation, not the column.
    """

    description = _("Encrypted text")

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def _to_text(self, value: Any) -> str:
        return value

    def _from_text(self, text: str) -> Any:
        return text

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {"max_length": self.max_length}
        if not self.max_length or self.max_length > 300:
            defaults["widget"] = forms.Textarea
        defaults.update(kwargs)
        return models.Field.formfield(self, form_class=forms.CharField, **defaults)


class EncryptedDateField(EncryptedFieldMixin, models.TextField):
    """A date (such as a date of birth), stored encrypted as its ISO form."""

    description = _("Encrypted date")

    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return None if value is None or self.null else value
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
        raise ValidationError(_("Enter a valid date."), code="invalid")

    def get_prep_value(self, value: Any) -> Any:
        if value == "":
            value = None
        return super().get_prep_value(value)

    def _to_text(self, value: Any) -> str:
        return value.isoformat()

    def _from_text(self, text: str) -> Any:
        return datetime.date.fromisoformat(text)

    def formfield(self, **kwargs: Any) -> Any:
        return models.Field.formfield(self, form_class=forms.DateField, **kwargs)


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """A list or dict (aliases, other phone numbers), stored encrypted as JSON."""

    description = _("Encrypted list or mapping")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not is_ciphertext_text(value):
            try:
                return json.loads(value)
            except ValueError:
                raise ValidationError(_("Enter valid JSON."), code="invalid") from None
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | dict):
            raise TypeError(f"{type(self).__name__} stores a list or a dict, not {type(value)}.")
        return encrypt_text(self._to_text(value))

    def _to_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def _from_text(self, text: str) -> Any:
        return json.loads(text)

    def formfield(self, **kwargs: Any) -> Any:
        return models.Field.formfield(self, form_class=forms.JSONField, **kwargs)


def encrypted_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every concrete encrypted column of every installed model (for rotation and checks)."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedFieldMixin):
                yield model, field
