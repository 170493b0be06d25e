"""The default screening instrument, written for SafeHarbor in its own words.

Its domains follow the public-domain indicator categories that the U.S. Department of
Homeland Security's Blue Campaign publishes for recognising human trafficking (control by
another person, living and working conditions, signs of harm, documents and debt, and
exchange of sex or labor). No item is copied from any published screening tool. It is a
prompt for a careful conversation, not a diagnosis; staff answer from what they observe and
what the person chooses to share.
"""

from __future__ import annotations

SLUG = "safeharbor-indicators"
VERSION = 1
NAME = "SafeHarbor trafficking indicators"

DEFINITION = {
    "description": (
        "Ask only what is needed, at the person's pace. Any answer may be left as "
        "'not known'. A result of possible or clear concern is a reason to offer support, "
        "never a condition of it."
    ),
    "domains": [
        {
            "key": "control",
            "label": "Control by another person",
            "items": [
                {
                    "key": "speaks_for",
                    "text": "Someone else speaks for the person or insists on being present.",
                    "weight": 2,
                },
                {
                    "key": "cannot_leave",
                    "text": "The person says they cannot leave, or must ask permission to go out.",
                    "weight": 3,
                },
                {
                    "key": "phone_controlled",
                    "text": "Another person holds or checks the person's phone or money.",
                    "weight": 2,
                },
                {
                    "key": "older_partner",
                    "text": "A much older partner or 'boyfriend' provides housing, gifts or drugs.",
                    "weight": 2,
                },
            ],
        },
        {
            "key": "living_working",
            "label": "Living and working conditions",
            "items": [
                {
                    "key": "lives_at_work",
                    "text": "Lives where they work, or is moved between places by someone else.",
                    "weight": 2,
                },
                {
                    "key": "unpaid_or_quota",
                    "text": "Works long hours for little or no pay, or has a quota to meet.",
                    "weight": 3,
                },
                {
                    "key": "hotels",
                    "text": "Stays in hotels or short-term rentals paid for by others.",
                    "weight": 1,
                },
                {
                    "key": "runaway",
                    "text": "Has run away or been missing from home or placement recently.",
                    "weight": 1,
                },
            ],
        },
        {
            "key": "harm",
            "label": "Signs of harm and fear",
            "items": [
                {
                    "key": "injuries",
                    "text": "Has injuries they cannot or will not explain.",
                    "weight": 2,
                },
                {
                    "key": "fear_threats",
                    "text": "Is afraid of someone, or someone has threatened them or their family.",
                    "weight": 3,
                },
                {
                    "key": "branding",
                    "text": "Has a tattoo or mark they say shows they belong to someone.",
                    "weight": 3,
                },
            ],
        },
        {
            "key": "documents_debt",
            "label": "Documents and debt",
            "items": [
                {
                    "key": "no_documents",
                    "text": "Someone else keeps the person's ID or immigration papers.",
                    "weight": 2,
                },
                {
                    "key": "debt",
                    "text": "Owes a debt to the person they work or live for that keeps growing.",
                    "weight": 3,
                },
            ],
        },
        {
            "key": "exchange",
            "label": "Exchange of sex or labor",
            "items": [
                {
                    "key": "sex_for_value",
                    "text": (
                        "Has traded sex for money, a place to stay, food, drugs or anything "
                        "else of value (for anyone under 18 this alone is a clear concern)."
                    ),
                    "weight": 4,
                    "critical_for_minor": True,
                },
                {
                    "key": "made_to_trade",
                    "text": "Someone else arranged, advertised or took money for it.",
                    "weight": 4,
                    "critical": True,
                },
                {
                    "key": "unexplained_goods",
                    "text": "Has money, phones, clothes or gifts they cannot explain.",
                    "weight": 1,
                },
            ],
        },
    ],
    "bands": [
        {"band": "no", "min_score": 0},
        {"band": "possible", "min_score": 3},
        {"band": "clear", "min_score": 8},
    ],
}
