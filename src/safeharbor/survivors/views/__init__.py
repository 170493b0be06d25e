"""Staff pages of the survivors area."""

from .admin import import_people, instrument_create, instrument_list
from .cases import (
    case_close_decide,
    case_close_request,
    case_create,
    case_detail,
    case_edit,
    note_create,
    service_create,
    service_delivered,
)
from .consent import consent_create, consent_detail, consent_revoke
from .missing import missing_create, missing_detail, missing_report, missing_return
from .people import person_break_glass, person_create, person_detail, person_edit, person_list
from .records import (
    identification_create,
    identification_status,
    screening_create,
    screening_detail,
)

__all__ = [
    "case_close_decide",
    "case_close_request",
    "case_create",
    "case_detail",
    "case_edit",
    "consent_create",
    "consent_detail",
    "consent_revoke",
    "identification_create",
    "identification_status",
    "import_people",
    "instrument_create",
    "instrument_list",
    "missing_create",
    "missing_detail",
    "missing_report",
    "missing_return",
    "note_create",
    "person_break_glass",
    "person_create",
    "person_detail",
    "person_edit",
    "person_list",
    "screening_create",
    "screening_detail",
    "service_create",
    "service_delivered",
]
