"""Portland 2011 demo content: the City's legislative priority on trafficking, its five
proposals, the statutes they concern, the three bills it followed to the Governor's signature
and the bill-signing ceremony. Facts only, from the City's program page, in our own words;
no dates or votes we do not know. Safe to run again: everything is found before it is made."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from safeharbor.audit.choices import ActorKind
from safeharbor.directory.choices import EventKind, EventStatus
from safeharbor.directory.models import Event
from safeharbor.directory.services import event_create

from . import services
from .choices import ActionClassification, Chamber, PriorityLevel, Stance
from .models import AgendaItem, Bill, Jurisdiction, LegislativeSession, Priority, Statute

SYSTEM = ActorKind.SYSTEM
OREGON_OCD_ID = "ocd-jurisdiction/country:us/state:or/government"
ORS_CHAPTER_URL = "https://www.oregonlegislature.gov/bills_laws/ors/ors{chapter}.html"
CEREMONY_TITLE = "Bill signing ceremony: Oregon laws against the sexual exploitation of minors"

STATUTES = [
    (
        "ORS 167.007",
        "Prostitution",
        "Prostitución",
        "The offense of prostitution. In 2011 it treated the person who paid for sex and "
        "the person who was paid the same way.",
        "El delito de prostitución. En 2011 trataba igual a quien pagaba por sexo y a quien "
        "recibía el pago.",
    ),
    (
        "ORS 167.017",
        "Compelling prostitution",
        "Obligar a la prostitución",
        "The crime of making or pushing another person into prostitution.",
        "El delito de obligar o empujar a otra persona a la prostitución.",
    ),
    (
        "ORS 181.594",
        "Sex offender reporting (as numbered in 2011)",
        "Registro de delincuentes sexuales (numeración de 2011)",
        "Part of the law that decided which sex offenses lead to registration as a sex offender.",
        "Parte de la ley que definía qué delitos sexuales llevan a registrarse como "
        "delincuente sexual.",
    ),
    (
        "ORS 163.325",
        "Ignorance or mistake as a defense",
        "La ignorancia o el error como defensa",
        "When a defendant may or may not claim they did not know, or were wrong about, a "
        "victim's age.",
        "Cuándo una persona acusada puede o no alegar que no sabía la edad de la víctima o "
        "que se equivocó sobre ella.",
    ),
]

PRIORITY_TITLE = ("Reducing sex trafficking", "Reducir la trata con fines sexuales")
OBJECTIVE = (
    "Support state legislation that reduces sex trafficking: tougher penalties for people "
    "who buy sex, and stronger prosecution of people who exploit victims.",
    "Apoyar leyes estatales que reduzcan la trata con fines sexuales: penas más duras para "
    "quienes compran sexo y una persecución más firme de quienes explotan a las víctimas.",
)
ISSUE = (
    "The Oregon Department of Human Services and the Portland Police Bureau have identified "
    "between 100 and 130 juveniles as suspected or confirmed victims of human trafficking. "
    "Oregon's prostitution law treats the person buying sex and the person selling it as "
    "equally to blame, and does too little about the people who exploit them. Police and "
    "service agencies see that people who are sold for sex, young people above all, are "
    "often coerced rather than choosing freely.",
    "El Departamento de Servicios Humanos de Oregón y la Policía de Portland han "
    "identificado entre 100 y 130 menores como víctimas sospechadas o confirmadas de trata "
    "de personas. La ley de prostitución de Oregón culpa por igual a quien compra sexo y a "
    "quien lo vende, y hace muy poco respecto de quienes los explotan. La policía y las "
    "agencias de servicios ven que las personas vendidas para sexo, sobre todo las jóvenes, "
    "a menudo actúan bajo coacción y no por libre elección.",
)
PROPOSALS = [
    (
        "Split the prostitution statute in two, so that buying sex is a different crime "
        "from selling it.",
        "Dividir la ley de prostitución en dos, para que comprar sexo sea un delito distinto "
        "de venderlo.",
        ["ORS 167.007"],
    ),
    (
        "Widen compelling prostitution to cover anyone who induces, aids or facilitates "
        "prostitution by a person under 18.",
        "Ampliar el delito de obligar a la prostitución a toda persona que induzca, ayude o "
        "facilite la prostitución de una persona menor de 18 años.",
        ["ORS 167.017"],
    ),
    (
        "Require sex-offender registration for a second offense of buying sex from a minor "
        "when the buyer is at least ten years older.",
        "Exigir el registro como delincuente sexual por una segunda condena por comprar sexo "
        "a un menor cuando el comprador tenga al menos diez años más.",
        ["ORS 181.594"],
    ),
    (
        "Do not allow not knowing, or being mistaken about, a minor's age as a defense to "
        "buying sex from a minor or to compelling prostitution.",
        "No permitir que desconocer la edad de un menor, o equivocarse sobre ella, sirva de "
        "defensa a quien le compra sexo o le obliga a prostituirse.",
        ["ORS 163.325"],
    ),
    (
        "Raise the fines for people who buy sex from minors.",
        "Aumentar las multas para quienes compran sexo a menores.",
        [],
    ),
]
BILLS = [
    ("SB 425", Chamber.UPPER, "Senate Bill 425 (2011)"),
    ("SB 430", Chamber.UPPER, "Senate Bill 430 (2011)"),
    ("HB 2714", Chamber.LOWER, "House Bill 2714 (2011)"),
]
BILL_SUMMARY = (
    "One of three 2011 bills on the sexual exploitation of young people that the City "
    "followed. The Governor signed it.",
    "Uno de los tres proyectos de ley de 2011 sobre la explotación sexual de jóvenes que "
    "siguió la Ciudad. El Gobernador lo firmó.",
)


@transaction.atomic
def load() -> None:
    oregon = Jurisdiction.objects.filter(ocd_id=OREGON_OCD_ID).first()
    if oregon is None:
        oregon = services.jurisdiction_create(
            actor=SYSTEM,
            name="Oregon",
            ocd_id=OREGON_OCD_ID,
            kind="state",
            url="https://www.oregonlegislature.gov/",
        )
    session = LegislativeSession.objects.filter(jurisdiction=oregon, identifier="2011R1").first()
    if session is None:
        session = services.session_create(
            actor=SYSTEM, jurisdiction=oregon, identifier="2011R1", name="2011 Regular Session"
        )
    statutes = {}
    for citation, title_en, title_es, summary_en, summary_es in STATUTES:
        statute = Statute.objects.filter(jurisdiction=oregon, citation=citation).first()
        if statute is None:
            chapter = citation.split()[1].split(".")[0]
            statute = services.statute_save(
                actor=SYSTEM,
                jurisdiction=oregon,
                citation=citation,
                title_en=title_en,
                title_es=title_es,
                link=ORS_CHAPTER_URL.format(chapter=chapter),
                summary_en=summary_en,
                summary_es=summary_es,
            )
        statutes[citation] = statute
    bills = []
    for identifier, chamber, title in BILLS:
        bill = Bill.objects.filter(session=session, identifier=identifier).first()
        if bill is None:
            bill = services.bill_save(
                actor=SYSTEM,
                session=session,
                identifier=identifier,
                title=title,
                chamber=chamber,
                subjects=["Sexual exploitation of minors"],
                summary_en=BILL_SUMMARY[0],
                summary_es=BILL_SUMMARY[1],
            )
            # The City's page says only that the Governor signed it, in 2011.
            services.bill_action_add(
                actor=SYSTEM,
                bill=bill,
                date="2011",
                description="Signed by the Governor",
                classifications=[ActionClassification.EXECUTIVE_SIGNATURE],
                chamber=Chamber.EXECUTIVE,
                organization="Governor",
            )
            services.bill_position_set(
                actor=SYSTEM,
                bill=bill,
                stance=Stance.SUPPORT,
                priority=PriorityLevel.HIGH,
                rationale="Part of the City's 2011 agenda on trafficking.",
                is_public=True,
            )
        bills.append(bill)
    if not Priority.objects.filter(title_en=PRIORITY_TITLE[0], session=session).exists():
        priority = services.priority_save(
            actor=SYSTEM,
            title_en=PRIORITY_TITLE[0],
            title_es=PRIORITY_TITLE[1],
            objective_en=OBJECTIVE[0],
            objective_es=OBJECTIVE[1],
            issue_en=ISSUE[0],
            issue_es=ISSUE[1],
            session=session,
            bills=bills,
            is_public=True,
        )
        for text_en, text_es, citations in PROPOSALS:
            services.proposal_save(
                actor=SYSTEM,
                priority=priority,
                text_en=text_en,
                text_es=text_es,
                statutes=[statutes[c] for c in citations],
            )
    _ceremony(bills)


def _ceremony(bills: list[Bill]) -> None:
    """The bill-signing ceremony on Wednesday, July 20, 2011 (the page gives no time or place,
    so it is kept as an all-day event)."""
    event = Event.objects.filter(title_en=CEREMONY_TITLE).first()
    if event is None:
        zone = ZoneInfo("America/Los_Angeles")
        event = event_create(
            actor=SYSTEM,
            kind=EventKind.CEREMONY,
            title=CEREMONY_TITLE,
            description=(
                "A ceremony for three bills the Governor has signed: Senate Bills 425 and 430 "
                "and House Bill 2714."
            ),
            starts_at=datetime(2011, 7, 20, tzinfo=zone),
            all_day=True,
            time_zone="America/Los_Angeles",
            status=EventStatus.COMPLETED,
            is_public=True,
            translations={
                "es": {
                    "title": "Ceremonia de firma de leyes de Oregón contra la explotación "
                    "sexual de menores",
                    "description": "Una ceremonia por tres proyectos de ley que el Gobernador "
                    "ha firmado: los proyectos del Senado 425 y 430 y el proyecto de la "
                    "Cámara 2714.",
                }
            },
        )
    for bill in bills:
        if not AgendaItem.objects.filter(event=event, bill=bill).exists():
            services.agenda_item_add(
                actor=SYSTEM,
                event=event,
                bill=bill,
                description_en="Signed by the Governor",
                description_es="Firmado por el Gobernador",
            )
