"""Portland demo directory, from the seed program page only: phone numbers exactly as the
page gives them (one reformatted: “1-800-6405311” is 1-800-640-5311), and no number at all
for an organisation the page gives none for. Spanish alongside English. Idempotent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safeharbor.accounts.models import Agency, Program
from safeharbor.audit.choices import ActorKind

from .choices import LocationType, PhoneType
from .models import (
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
from .services import directory_object_create

SYSTEM = ActorKind.SYSTEM

TAXONOMY = {
    "name": "SafeHarbor needs",
    "description": "What people come to the directory for.",
    "version": "1",
}

# code: (English name, English description, Spanish name, Spanish description)
TERMS = {
    "crisis": (
        "Crisis support",
        "Someone to talk to right away, day or night.",
        "Apoyo en crisis",
        "Alguien con quien hablar enseguida, de día o de noche.",
    ),
    "trafficking": (
        "Help with trafficking",
        "Help for people who are being, or have been, bought and sold for sex or labour.",
        "Ayuda por trata de personas",
        "Ayuda para personas que son o fueron compradas y vendidas para sexo o trabajo.",
    ),
    "counseling": (
        "Counseling and support",
        "Counseling and long-term support from an advocate.",
        "Consejería y apoyo",
        "Consejería y apoyo a largo plazo de una persona defensora.",
    ),
    "housing": (
        "Housing",
        "A safe place to live.",
        "Vivienda",
        "Un lugar seguro para vivir.",
    ),
    "abuse": (
        "Safety from abuse",
        "Help with emotional, physical or sexual abuse, including by a partner.",
        "Seguridad frente al abuso",
        "Ayuda frente al abuso emocional, físico o sexual, también por parte de la pareja.",
    ),
}


def _organization(name: str, description: str, description_es: str, agency: str = "") -> Any:
    existing = Organization.objects.filter(name=name).first()
    if existing:
        return existing
    return directory_object_create(
        actor=SYSTEM,
        model=Organization,
        values={
            "name": name,
            "description": description,
            "agency": Agency.objects.filter(slug=agency).first() if agency else None,
        },
        translations={"es": {"description": description_es}},
    )


def _service(organization: Organization, *, terms: list[str], **spec: Any) -> Service:
    existing = Service.objects.filter(organization=organization, name_en=spec["name"]).first()
    if existing:
        return existing
    spanish = spec.pop("es")
    program = spec.pop("program", "")
    values = {
        "organization": organization,
        "program": Program.objects.filter(slug=program).first() if program else None,
        **spec,
    }
    return directory_object_create(
        actor=SYSTEM,
        model=Service,
        values=values,
        terms=list(TaxonomyTerm.objects.filter(code__in=terms)),
        translations={"es": spanish},
    )


def _phone(service: Service, number: str, description: str, description_es: str) -> None:
    if not Phone.objects.filter(service=service, number=number).exists():
        directory_object_create(
            actor=SYSTEM,
            model=Phone,
            values={
                "service": service,
                "number": number,
                "type": PhoneType.VOICE,
                "description": description,
            },
            translations={"es": {"description": description_es}},
        )


def _around_the_clock(service: Service) -> None:
    if not Schedule.objects.filter(service=service).exists():
        directory_object_create(
            actor=SYSTEM,
            model=Schedule,
            values={
                "service": service,
                "open_24_hours": True,
                "description": "24 hours a day, every day",
            },
            translations={"es": {"description": "Las 24 horas, todos los días"}},
        )


def _english(service: Service) -> None:
    # The seed page is in English; it says nothing about other languages, so none are claimed.
    if not Language.objects.filter(service=service).exists():
        directory_object_create(
            actor=SYSTEM,
            model=Language,
            values={"service": service, "code": "en", "name": "English"},
        )


def _by_phone(organization: Organization, service: Service, name: str, name_es: str) -> None:
    location = Location.objects.filter(organization=organization, name=name).first()
    if location is None:
        location = directory_object_create(
            actor=SYSTEM,
            model=Location,
            values={
                "organization": organization,
                "name": name,
                "location_type": LocationType.VIRTUAL,
                "description": "Reached by phone.",
            },
            translations={"es": {"description": "Se contacta por teléfono."}},
        )
    if not ServiceAtLocation.objects.filter(service=service, location=location).exists():
        directory_object_create(
            actor=SYSTEM,
            model=ServiceAtLocation,
            values={"service": service, "location": location},
        )


@transaction.atomic
def load() -> None:
    taxonomy = Taxonomy.objects.filter(name=TAXONOMY["name"]).first()
    if taxonomy is None:
        taxonomy = directory_object_create(actor=SYSTEM, model=Taxonomy, values=TAXONOMY)
    for code, (name, description, name_es, description_es) in TERMS.items():
        if not TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exists():
            directory_object_create(
                actor=SYSTEM,
                model=TaxonomyTerm,
                values={
                    "taxonomy": taxonomy,
                    "code": code,
                    "name": name,
                    "description": description,
                },
                translations={"es": {"name": name_es, "description": description_es}},
            )

    nhtrc = _organization(
        "National Human Trafficking Resource Center",
        "A national hotline for anyone who knows or thinks someone may be trafficked or exploited.",
        "Una línea nacional para quien sepa o crea que alguien puede ser víctima de trata o "
        "explotación.",
    )
    hotline = _service(
        nhtrc,
        terms=["crisis", "trafficking"],
        name="National Human Trafficking Resource Center hotline",
        description="Call for help 24 hours a day if you know or think someone may be "
        "trafficked or exploited.",
        is_hotline=True,
        es={
            "name": "Línea del National Human Trafficking Resource Center",
            "description": "Llame para pedir ayuda las 24 horas si sabe o cree que alguien "
            "puede ser víctima de trata o explotación.",
        },
    )
    _phone(hotline, "1-888-373-7888", "For help 24 hours a day", "Ayuda las 24 horas del día")
    _around_the_clock(hotline)
    _english(hotline)
    _by_phone(nhtrc, hotline, "National hotline (by phone)", "Línea nacional (por teléfono)")

    sarc = _organization(
        "Sexual Assault Resource Center",
        "Emergency support for people affected by sexual assault.",
        "Apoyo de emergencia para personas afectadas por una agresión sexual.",
    )
    crisis = _service(
        sarc,
        terms=["crisis", "abuse"],
        name="Sexual Assault Resource Center hotline",
        description="Emergency support 24 hours a day.",
        is_hotline=True,
        es={
            "name": "Línea del Sexual Assault Resource Center",
            "description": "Apoyo de emergencia las 24 horas del día.",
        },
    )
    _phone(
        crisis,
        "1-800-640-5311",
        "For emergency support 24 hours a day",
        "Apoyo de emergencia las 24 horas del día",
    )
    _around_the_clock(crisis)
    _english(crisis)
    _by_phone(sarc, crisis, "Crisis line (by phone)", "Línea de crisis (por teléfono)")

    lifeworks = _organization(
        "LifeWorks NW",
        "A nonprofit offering counseling and long-term support, including the New Options "
        "for Women program.",
        "Organización sin fines de lucro que ofrece consejería y apoyo a largo plazo, "
        "incluido el programa New Options for Women.",
        agency="lifeworks-nw",
    )
    counseling = _service(
        lifeworks,
        terms=["counseling", "trafficking"],
        program="new-options-for-women",
        name="New Options for Women: counseling and long-term support",
        description="Counseling and long-term support for women and girls leaving "
        "exploitation. Everyone the police meet as a victim is told about this program.",
        eligibility_description="Women and girls who are being, or have been, exploited.",
        es={
            "name": "New Options for Women: consejería y apoyo a largo plazo",
            "description": "Consejería y apoyo a largo plazo para mujeres y niñas que dejan "
            "la explotación. La policía informa de este programa a cada víctima que conoce.",
            "eligibility_description": "Mujeres y niñas que son o fueron explotadas.",
        },
    )
    _phone(
        counseling,
        "503-710-1513",
        "For counseling and long-term support",
        "Consejería y apoyo a largo plazo",
    )
    _english(counseling)

    gateway = _organization(
        "Gateway Center for Domestic Violence Services",
        "A resource for anyone facing emotional, physical or sexual abuse, including sexual "
        "exploitation related to intimate partner violence.",
        "Un recurso para quien sufre abuso emocional, físico o sexual, incluida la "
        "explotación sexual relacionada con la violencia de pareja.",
        agency="gateway-center",
    )
    intake = _service(
        gateway,
        terms=["abuse", "crisis"],
        program="gateway-intake",
        name="Gateway Center",
        description="One place to start for anyone facing emotional, physical or sexual "
        "abuse, including sexual exploitation by a partner.",
        es={
            "name": "Gateway Center",
            "description": "Un solo lugar para empezar, para quien sufre abuso emocional, "
            "físico o sexual, incluida la explotación sexual por parte de la pareja.",
        },
    )
    _english(intake)

    join = _organization(
        "JOIN",
        "A housing partner in the City's pilot housing program for adult trafficking victims.",
        "Socio de vivienda del programa piloto de la Ciudad para adultos víctimas de trata.",
        agency="join",
    )
    housing = _service(
        join,
        terms=["housing", "trafficking"],
        program="survivor-housing-pilot",
        name="Housing pilot for adult trafficking victims",
        description="Adult survivors move into apartments with the lease in their own name, "
        "with rent help and an advocate. Run by JOIN, LifeWorks NW and the City of Portland. "
        "So far, six women are living in their own apartments.",
        eligibility_description="Adults who have been trafficked.",
        minimum_age=18,
        es={
            "name": "Programa piloto de vivienda para adultos víctimas de trata",
            "description": "Personas adultas sobrevivientes se mudan a apartamentos con el "
            "contrato a su nombre, con ayuda para el alquiler y una persona defensora. Lo "
            "llevan JOIN, LifeWorks NW y la Ciudad de Portland. Hasta ahora, seis mujeres "
            "viven en sus propios apartamentos.",
            "eligibility_description": "Personas adultas que han sido víctimas de trata.",
        },
    )
    _english(housing)
    homes = Location.objects.filter(organization=join, name="Apartments (private)").first()
    if homes is None:
        homes = directory_object_create(
            actor=SYSTEM,
            model=Location,
            values={
                "organization": join,
                "name": "Apartments (private)",
                "location_type": LocationType.PHYSICAL,
                "is_confidential": True,
                "city": "Portland",
                "state_province": "OR",
                "description": "Addresses are never published.",
            },
            translations={"es": {"description": "Las direcciones nunca se publican."}},
        )
    if not ServiceAtLocation.objects.filter(service=housing, location=homes).exists():
        directory_object_create(
            actor=SYSTEM,
            model=ServiceAtLocation,
            values={"service": housing, "location": homes},
        )


__all__ = ["load"]
