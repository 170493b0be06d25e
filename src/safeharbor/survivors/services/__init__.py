"""Writes of the survivors area. Every function checks permission and audits in the same
transaction; views, the API, the importer and the command line all call these."""

from .cases import (
    can_approve_close,
    case_decide_close,
    case_note_add,
    case_open,
    case_request_close,
    case_service_add,
    case_service_set_status,
    case_update,
)
from .consent import SignerInput, check_signers, consent_max_days, consent_record, consent_revoke
from .identification import identification_change_status, identification_record
from .imports import ImportOutcome, survivors_import
from .missing import (
    missing_episode_open,
    missing_episode_report,
    missing_episode_return,
    notify_overdue_missing_reports,
)
from .persons import (
    person_assign,
    person_create,
    person_index_entries,
    person_record_view,
    person_update,
    refresh_age_bands,
)
from .screening import instrument_create_version, instruments_for, screening_record

__all__ = [
    "ImportOutcome",
    "SignerInput",
    "can_approve_close",
    "case_decide_close",
    "case_note_add",
    "case_open",
    "case_request_close",
    "case_service_add",
    "case_service_set_status",
    "case_update",
    "check_signers",
    "consent_max_days",
    "consent_record",
    "consent_revoke",
    "identification_change_status",
    "identification_record",
    "instrument_create_version",
    "instruments_for",
    "missing_episode_open",
    "missing_episode_report",
    "missing_episode_return",
    "notify_overdue_missing_reports",
    "person_assign",
    "person_create",
    "person_index_entries",
    "person_record_view",
    "person_update",
    "refresh_age_bands",
    "screening_record",
    "survivors_import",
]
