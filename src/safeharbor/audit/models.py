"""Append-only, hash-chained audit events.

Each agency has its own chain (and the platform one for events with no agency), so writers
in different agencies never wait on one global lock. ``AuditChain`` holds each chain's head;
the writer locks that one row, links the new event to the head and moves the head on, all in
the transaction of the change being recorded.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ActorKind, AuditAction, AuditOutcome

GENESIS_HASH = "0" * 64


class AuditChain(models.Model):
    """The head of one hash chain: its last sequence number and hash."""

    key = models.CharField(_("chain"), max_length=40, unique=True)
    last_seq = models.BigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_seq}"


class AuditEvent(models.Model):
    """One thing that happened: who, in which agency, did what to which object.

    Holds ids and field names only, never values or people's names.
    """

    chain = models.CharField(_("chain"), max_length=40)
    seq = models.BigIntegerField(_("sequence number"))
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=12, choices=ActorKind.choices)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    fields = models.JSONField(_("fields touched"), default=list, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    reason = models.CharField(_("reason code"), max_length=60, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["occurred_at", "chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_unique_chain_seq"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["action", "occurred_at"], name="audit_event_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"
