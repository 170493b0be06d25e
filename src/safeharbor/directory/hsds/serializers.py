"""Directory objects as HSDS 3.0 JSON. Empty optional values are left out (the schemas type
them as strings, not null); a confidential location never carries an address or coordinates.
Text is in the active language (English unless the client asks for another)."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from safeharbor.accounts.models import Program
from safeharbor.directory.models import (
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# Platform programs have integer keys; HSDS wants UUIDs, so derive stable ones from the slug.
PROGRAM_NAMESPACE = uuid.UUID("5b0d1c3e-6a43-4c55-9a0e-0f3f5e8a2b71")
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "")}


def _iso(value: Any) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def program_id(program: Program) -> str:
    return str(uuid.uuid5(PROGRAM_NAMESPACE, f"program:{program.slug}"))


def program_json(program: Program, organization: Organization | None) -> dict[str, Any]:
    return _clean(
        {
            "id": program_id(program),
            "organization_id": str(organization.id) if organization else None,
            "name": program.name,
            "description": program.description or program.name,
            "attributes": [],
            "metadata": [],
        }
    )


def phone_json(phone: Phone) -> dict[str, Any]:
    return _clean(
        {
            "id": str(phone.id),
            "service_id": str(phone.service_id) if phone.service_id else None,
            "organization_id": str(phone.organization_id) if phone.organization_id else None,
            "location_id": str(phone.location_id) if phone.location_id else None,
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
            "languages": [],
            "attributes": [],
            "metadata": [],
        }
    )


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    if schedule.open_24_hours:
        byday, opens, closes = ALL_DAYS, "00:00", "23:59"
    else:
        byday = schedule.byday
        opens = schedule.opens_at.strftime("%H:%M") if schedule.opens_at else None
        closes = schedule.closes_at.strftime("%H:%M") if schedule.closes_at else None
    return _clean(
        {
            "id": str(schedule.id),
            "service_id": str(schedule.service_id) if schedule.service_id else None,
            "location_id": str(schedule.location_id) if schedule.location_id else None,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": byday,
            "opens_at": opens,
            "closes_at": closes,
            "description": schedule.description,
            "attributes": [],
            "metadata": [],
        }
    )


def language_json(language: Language) -> dict[str, Any]:
    return _clean(
        {
            "id": str(language.id),
            "service_id": str(language.service_id) if language.service_id else None,
            "location_id": str(language.location_id) if language.location_id else None,
            "name": language.name,
            "code": language.code,
            "note": language.note,
            "attributes": [],
            "metadata": [],
        }
    )


def taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return _clean(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
            "metadata": [],
        }
    )


def taxonomy_term_json(term: TaxonomyTerm) -> dict[str, Any]:
    return _clean(
        {
            "id": str(term.id),
            "code": term.code,
            "name": term.name,
            "description": term.description,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_detail": taxonomy_json(term.taxonomy),
            "taxonomy_id": str(term.taxonomy_id),
            "term_uri": term.term_uri,
            "metadata": [],
        }
    )


def _term_attribute(term: TaxonomyTerm, *, link_id: Any, link_entity: str) -> dict[str, Any]:
    # HSDS 3.0 links terms to objects through attributes; the id is derived, so stable.
    return {
        "id": str(uuid.uuid5(term.id, f"{link_entity}:{link_id}")),
        "link_id": str(link_id),
        "link_type": "taxonomy_term",
        "link_entity": link_entity,
        "taxonomy_term_id": str(term.id),
        "taxonomy_term": taxonomy_term_json(term),
        "metadata": [],
    }


def location_json(location: Location) -> dict[str, Any]:
    addresses = []
    if location.has_address:
        addresses.append(
            _clean(
                {
                    "id": str(uuid.uuid5(location.id, "address")),
                    "location_id": str(location.id),
                    "address_1": location.address_1,
                    "address_2": location.address_2,
                    "city": location.city,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": location.country,
                    "address_type": "physical",
                    "attributes": [],
                    "metadata": [],
                }
            )
        )
    coordinates: dict[str, Any] = {}
    if not location.is_confidential and location.latitude is not None:
        coordinates = {"latitude": float(location.latitude), "longitude": float(location.longitude)}
    return _clean(
        {
            "id": str(location.id),
            "location_type": location.location_type,
            "url": location.url,
            "organization_id": str(location.organization_id) if location.organization_id else None,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": location.description,
            "transportation": "" if location.is_confidential else location.transportation,
            **coordinates,
            "languages": [language_json(x) for x in location.languages.all()],
            "addresses": addresses,
            "contacts": [],
            "accessibility": [],
            "phones": [phone_json(p) for p in location.phones.all()],
            "schedules": [schedule_json(s) for s in location.schedules.all()],
            "attributes": [],
            "metadata": [],
        }
    )


def service_at_location_json(sal: ServiceAtLocation, *, nested: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "description": sal.description,
        "contacts": [],
        "phones": [],
        "schedules": [],
        "attributes": [],
        "metadata": [],
    }
    if nested:
        data["location"] = location_json(sal.location)
    return _clean(data)


def organization_json(
    organization: Organization, *, full: bool = False, services: list[Service] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(organization.id),
        "name": organization.name,
        "alternate_name": organization.alternate_name,
        "description": organization.description,
        "email": organization.email,
        "website": organization.website,
    }
    if full:
        programs = {}
        for service in services or []:
            if service.program is not None:
                programs[service.program.pk] = service.program
        data.update(
            {
                "funding": [],
                "contacts": [],
                "phones": [phone_json(p) for p in organization.phones.all()],
                "locations": [location_json(loc) for loc in organization.locations.all()],
                "programs": [program_json(p, organization) for p in programs.values()],
                "organization_identifiers": [],
                "attributes": [],
                "metadata": [],
                "services": [service_json(s, full=False) for s in services or []],
            }
        )
    return _clean(data)


def service_json(service: Service, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(service.id),
        "organization_id": str(service.organization_id),
        "program_id": program_id(service.program) if service.program else None,
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "interpretation_services": service.interpretation_services,
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "alert": service.alert,
        "last_modified": _iso(service.last_modified),
        "organization": organization_json(service.organization),
    }
    if service.program is not None:
        data["program"] = program_json(service.program, service.organization)
    if full:
        data.update(
            {
                "phones": [phone_json(p) for p in service.phones.all()],
                "schedules": [schedule_json(s) for s in service.schedules.all()],
                "service_areas": [],
                "service_at_locations": [
                    service_at_location_json(sal) for sal in service.service_at_locations.all()
                ],
                "languages": [language_json(x) for x in service.languages.all()],
                "funding": [],
                "cost_options": [],
                "required_documents": [],
                "contacts": [],
                "attributes": [
                    _term_attribute(t, link_id=service.id, link_entity="service")
                    for t in service.terms.all()
                ],
                "metadata": [],
            }
        )
    return _clean(data)


def service_minimal_json(service: Service) -> dict[str, Any]:
    return {"id": str(service.id), "last_modified": _iso(service.last_modified)}
