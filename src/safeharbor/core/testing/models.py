"""A synthetic protected record, for testing core mechanisms without any area's models."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeharbor.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from safeharbor.core.permissions import ProtectedQuerySet, register_protected


class Specimen(models.Model):
    """A made-up person-like record: identity fields encrypted, case notes, a statistic."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="+", verbose_name="agency"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="assigned to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="created by",
    )
    name = EncryptedTextField("name", max_length=200)
    date_of_birth = EncryptedDateField("date of birth", null=True, blank=True)
    aliases = EncryptedJSONField("aliases", default=list, blank=True)
    phone = EncryptedTextField("phone", blank=True, max_length=40)
    case_notes = models.TextField("case notes", blank=True)
    age_band = models.CharField("age band", max_length=10, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = "specimen"
        verbose_name_plural = "specimens"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Specimen {self.pk}"


class SpecimenIndexTerm(models.Model):
    """One blind-index term of a specimen (name terms, date of birth, phone)."""

    specimen = models.ForeignKey(Specimen, on_delete=models.CASCADE, related_name="index_terms")
    kind = models.CharField("kind", max_length=10)
    term = models.CharField("term", max_length=16)

    class Meta:
        verbose_name = "specimen index term"
        verbose_name_plural = "specimen index terms"
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "term"], name="core_testing_term_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.term}"


class SpecimenNote(models.Model):
    """A note that belongs to a specimen: reached only through its parent's access."""

    specimen = models.ForeignKey(Specimen, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField("text")
    kind = models.CharField("kind", max_length=20, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = "specimen note"
        verbose_name_plural = "specimen notes"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


register_protected(
    Specimen,
    categories={
        "identity": ["name", "date_of_birth", "aliases", "phone"],
        "case": ["case_notes"],
        "statistical": ["age_band"],
    },
    actions=["approve_closure"],
)
register_protected(
    SpecimenNote, parent="specimen", categories={"case": ["text"], "statistical": ["kind"]}
)
