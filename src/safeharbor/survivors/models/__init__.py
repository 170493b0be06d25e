"""Models of the survivors area."""

from .case import Case, CaseNote, CaseService
from .consent import Consent, ConsentSigner
from .identification import Identification, IdentificationStatusChange
from .missing import MissingEpisode
from .person import AgencySurvivorSettings, Person, PersonIndexEntry
from .screening import Screening, ScreeningInstrument

__all__ = [
    "AgencySurvivorSettings",
    "Case",
    "CaseNote",
    "CaseService",
    "Consent",
    "ConsentSigner",
    "Identification",
    "IdentificationStatusChange",
    "MissingEpisode",
    "Person",
    "PersonIndexEntry",
    "Screening",
    "ScreeningInstrument",
]
