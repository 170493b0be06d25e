"""Given names and the short or familiar forms people use for them.

Written for SafeHarbor from common usage in the United States (English and Spanish given
names); each group is a formal name followed by familiar forms. A familiar form that belongs
to more than one formal name (``Alex``, ``Sam``, ``Chris``) is listed under the first group
only, so the table maps every name to exactly one canonical form; the linkage model still
compares the raw names, so an ambiguous short form costs a little weight, never a false
equality of two different formal names.
"""

from __future__ import annotations

from functools import cache

__all__ = ["NAME_GROUPS", "canonical_given_name", "nickname_table"]

NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "katherine",
        "catherine",
        "kathryn",
        "katharine",
        "kathy",
        "cathy",
        "kate",
        "katie",
        "katy",
        "kat",
        "kitty",
        "kay",
        "cate",
        "kathleen",
        "kaitlyn",
        "caitlin",
    ),
    (
        "elizabeth",
        "elisabeth",
        "liz",
        "lizzie",
        "lizzy",
        "beth",
        "betsy",
        "betty",
        "eliza",
        "libby",
        "elsie",
        "lisa",
        "liza",
        "bess",
        "ellie",
    ),
    ("margaret", "maggie", "meg", "megan", "peggy", "marge", "margie", "greta", "daisy"),
    ("jennifer", "jen", "jenny", "jenn", "jenni"),
    ("jessica", "jess", "jessie", "jessi"),
    ("rebecca", "becky", "becca", "bec"),
    ("victoria", "vicky", "vicki", "tori", "vickie"),
    ("samantha", "sam", "sammy", "sami"),
    ("alexandra", "alex", "alexa", "lexi", "lexie", "sandra", "sandy", "ali"),
    ("christina", "christine", "chris", "chrissy", "tina", "kristina", "kristen", "kris"),
    ("patricia", "pat", "patty", "patsy", "trish", "tricia"),
    ("jacqueline", "jackie", "jacky", "jacquie"),
    ("abigail", "abby", "abbie", "gail"),
    ("deborah", "debra", "deb", "debbie", "debby"),
    ("susan", "sue", "susie", "suzy", "suzanne"),
    ("amanda", "mandy", "manda"),
    ("stephanie", "steph", "stevie", "stephie"),
    ("kimberly", "kim", "kimmy", "kimberley"),
    ("melissa", "mel", "missy", "lissa"),
    ("nicole", "nicky", "nikki", "nic", "cole"),
    ("danielle", "dani", "danni", "elle"),
    ("gabriela", "gabriella", "gabrielle", "gabby", "gaby", "ella"),
    ("isabella", "isabel", "izzy", "bella", "isa", "chabela"),
    ("valentina", "vale"),
    ("guadalupe", "lupe", "lupita", "pita"),
    ("dolores", "lola", "lolita", "dolly"),
    ("josefina", "josefa", "pepa", "fina", "josie"),
    ("maria", "mari", "maru", "mariita", "marie", "mary", "molly", "polly", "mae", "mimi"),
    ("ana", "anna", "anita", "annie", "ann", "anne", "hannah", "nan", "nancy"),
    ("teresa", "theresa", "tere", "terry", "tess", "tessa", "tracy"),
    ("concepcion", "concha", "conchita", "chita"),
    ("rosario", "charo", "chayo"),
    ("dorothy", "dot", "dottie", "dora", "dodie"),
    ("eleanor", "elenor", "nora", "norah", "nell", "nellie", "ellen", "elena", "helen"),
    ("frances", "francesca", "fran", "frannie", "francie", "frankie"),
    ("caroline", "carolina", "carol", "carrie", "carly", "caro", "lina"),
    ("charlotte", "charlie", "lottie", "lotte", "char"),
    ("madeline", "madeleine", "madison", "maddie", "maddy", "madi"),
    ("natalie", "natalia", "nat", "nattie", "talia", "nati"),
    ("olivia", "liv", "livvy", "ollie"),
    ("sophia", "sofia", "sophie", "sofi"),
    ("jasmine", "jasmin", "yasmin", "jazz", "jaz", "jazzy"),
    ("destiny", "des", "desi"),
    ("brittany", "britney", "brit", "britt"),
    ("ashley", "ash", "ashlee", "ashleigh"),
    ("tiffany", "tiff", "tiffy"),
    ("angela", "angie", "angel", "angelica", "angelina"),
    ("veronica", "ronnie", "roni", "vero"),
    ("andrea", "andie", "andi", "drea"),
    ("michelle", "shelly", "shelley", "micki", "chelle"),
    ("william", "will", "bill", "billy", "willie", "liam", "willy"),
    ("robert", "rob", "bob", "bobby", "robbie", "bert", "roberto", "beto"),
    ("richard", "rick", "ricky", "rich", "dick", "richie", "ricardo"),
    ("james", "jim", "jimmy", "jamie", "jimbo"),
    ("john", "johnny", "jack", "jon", "juan", "juanito"),
    ("joseph", "joe", "joey", "jose", "pepe", "chepe"),
    ("michael", "mike", "mikey", "mick", "micky", "miguel", "mikael"),
    ("thomas", "tom", "tommy", "tomas"),
    ("charles", "chuck", "chaz", "chas", "carlos", "carlitos"),
    ("christopher", "christoph", "topher", "cristobal", "kit"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davey", "davy"),
    ("matthew", "matt", "matty", "mateo"),
    ("anthony", "tony", "antonio", "anton", "toni"),
    ("andrew", "andy", "drew", "andres"),
    ("nicholas", "nick", "nico", "nicolas", "colin"),
    ("jonathan", "jonny", "nathan", "nate", "jonathon"),
    ("benjamin", "ben", "benny", "benji"),
    ("samuel", "sammie"),
    ("alexander", "alejandro", "alexis", "xander", "sasha", "alec", "alejo"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned", "eduardo", "lalo"),
    ("francisco", "frank", "paco", "pancho", "cisco", "francis"),
    ("ignacio", "nacho", "nacio"),
    ("enrique", "henry", "hank", "harry", "kike", "quique"),
    ("guillermo", "memo", "guille"),
    ("jesus", "chuy", "chucho"),
    ("manuel", "manny", "manolo", "manu"),
    ("rafael", "rafa", "rafi"),
    ("fernando", "nando", "fer"),
    ("gerardo", "gerry", "jerry", "gerald", "gerard"),
    ("timothy", "tim", "timmy"),
    ("steven", "stephen", "steve", "esteban"),
    ("kenneth", "ken", "kenny"),
    ("ronald", "ron", "ronny"),
    ("donald", "don", "donny"),
    ("gregory", "greg", "gregorio", "goyo"),
    ("raymond", "ray", "ramon", "moncho"),
    ("lawrence", "larry", "lorenzo", "enzo"),
    ("peter", "pete", "pedro", "perico"),
    ("zachary", "zach", "zack", "zak"),
    ("jacob", "jake", "jakey", "jacobo", "santiago", "diego"),
    ("joshua", "josh"),
    ("tyler", "ty"),
    ("brandon", "bran", "brandy"),
    ("marcus", "marc", "mark", "marco", "marcos"),
    ("dominic", "dom"),
    ("vincent", "vince", "vinny", "vicente", "chente"),
    ("frederick", "fred", "freddie", "freddy", "federico", "fede"),
    ("leonard", "leo", "leon", "lenny", "leonardo", "leonel"),
    ("joanna", "joan", "jo", "joanne", "juana", "juanita"),
    ("penelope", "penny"),
    ("priscilla", "cilla", "prissy"),
    ("virginia", "ginny", "ginger", "gina"),
    ("cynthia", "cindy", "cyndi"),
    ("lucia", "lucy", "lulu", "luz", "lucinda"),
    ("emily", "em", "emmy", "emilia", "millie", "emma"),
)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in NAME_GROUPS:
        formal = group[0]
        for name in group:
            table.setdefault(name, formal)
    return table


def canonical_given_name(name: str) -> str:
    """The formal name a (normalised, lower-case) given name belongs to, or the name itself."""
    return _lookup().get(name, name)


def nickname_table() -> list[tuple[str, str]]:
    """(name, canonical) rows for every name that has a different canonical form."""
    return sorted((n, c) for n, c in _lookup().items() if n != c)
