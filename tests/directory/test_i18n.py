"""Spanish is complete for the public site, and the committed catalogue is compiled."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import LocalePrefixPattern, get_resolver
from django.utils import translation
from django.utils.translation.template import templatize
from django.views.defaults import server_error

import safeharbor
from tests.browser import IN_CI

pytestmark = pytest.mark.django_db


def test_compiled_catalogue_matches_the_po_file():
    call_command("compile_translations", "--check")


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("/es/", "Poner fin a la explotación sexual de jóvenes"),
        ("/es/get-help/", "Líneas a las que puede llamar a cualquier hora"),
        ("/es/resources/", "¿Con qué necesita ayuda?"),
        ("/es/events/", "Eventos públicos"[:6]),
        ("/es/safety/", "Salir rápido <strong>no</strong> borra su historial"),
        ("/es/services/", "Servicios para víctimas"),
        ("/es/law-enforcement/", "Unidad de Trata de Personas"),
        ("/es/legislative-priorities/", "Cambiar la ley"),
    ],
)
def test_spanish_pages_are_in_spanish(url, phrase):
    html = Client().get(url).content.decode()
    assert phrase in html
    assert "Exit this page" not in html and "Salir de esta página" in html


def test_no_english_interface_text_left_on_spanish_pages():
    # Navigation and footer are the same on every page: check them once.
    html = Client().get("/es/").content.decode()
    nav = re.search(r'<nav aria-label="Principal".*?</nav>', html, re.S).group(0)
    for english in ("Get help", "Resources", "Events", "Browsing safely"):
        assert english not in nav


# Every string the public site can show has a Spanish translation -----------------------------
#
# Two checks, both against the committed catalogue. The first reads the code: every string
# marked for translation in a public template (and the templates it includes or extends) or in
# a module of the public pages must be translated and not fuzzy, so a string in a branch the
# demo data never reaches is caught too. The second fetches the Spanish pages and fails on any
# string looked up while drawing them that the catalogue lacks (choice labels, form fields,
# Django's own words), which reading the code alone would miss.

PACKAGE = Path(safeharbor.__file__).parent
CATALOGUE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Modules public pages take words from besides their views (found from the URLs below).
PUBLIC_MODULES = [
    "directory/choices.py",
    "directory/forms.py",
    "directory/agenda.py",
    "legislation/choices.py",
    "reports/public.py",
    "reports/registry.py",
    "reports/suppression.py",
]
# Templates drawn outside the page's own tree: the public statistics PDF.
EXTRA_TEMPLATES = ["reports/pdf/report.html"]
MARKERS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "npgettext": 1,
    "npgettext_lazy": 1,
}


def _marked(code: str) -> set[str]:
    """Catalogue keys ("context\\x04msgid" with a context) of the literal strings marked in
    Python source (or in a template turned into it by ``templatize``)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MARKERS:
            continue
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if not all(isinstance(a, str) for a in args[: MARKERS[name] + 1]):
            continue
        context = args[0] if name.startswith(("pgettext", "npgettext")) else None
        msgid = args[MARKERS[name]]
        found.add(f"{context}\x04{msgid}" if context else msgid)
    return found


def _marked_in_template(path: Path) -> set[str]:
    # templatize keeps only the translatable parts, as gettext(...) calls among filler letters.
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    calls = re.findall(
        r"\b(?:n?p?gettext)\((?:u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\"|[\s,\w])*\)", code
    )
    return set().union(*(_marked(re.sub(r"\bu(['\"])", r"\1", call)) for call in calls))


def _public_templates() -> set[Path]:
    """Public page templates and everything they extend or include, found through the
    template loaders (as the pages find them)."""
    names = [
        str(p.relative_to(p.parents[2])) for p in PACKAGE.glob("*/templates/*/public/*.html")
    ] + EXTRA_TEMPLATES
    seen: dict[str, Path] = {}
    while names:
        name = names.pop()
        if name in seen:
            continue
        path = Path(get_template(name).origin.name)
        seen[name] = path
        names += re.findall(r"{%\s*(?:extends|include)\s+[\"']([^\"']+)[\"']", path.read_text())
    return set(seen.values())


def _public_view_modules() -> set[Path]:
    resolver = get_resolver()
    modules = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            else:
                modules.add(pattern.callback.__module__)

    for pattern in resolver.url_patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            walk(pattern.url_patterns)
    return {Path(sys.modules[m].__file__) for m in modules if m.startswith("safeharbor.")} | {
        PACKAGE / m for m in PUBLIC_MODULES
    }


def _untranslated(keys: set[str]) -> list[str]:
    catalogue = {
        (f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid): e
        for e in polib.pofile(str(CATALOGUE))
        if not e.obsolete
    }
    missing = []
    for key in sorted(keys):
        entry = catalogue.get(key)
        if entry is None or not entry.translated():  # fuzzy entries are not translated
            missing.append(key.replace("\x04", " | "))
    return missing


def test_every_string_marked_in_the_public_site_is_translated():
    keys: dict[str, set[str]] = {}
    for path in _public_templates():
        keys[str(path.relative_to(PACKAGE))] = _marked_in_template(path)
    for path in _public_view_modules():
        keys[str(path.relative_to(PACKAGE))] = _marked(path.read_text(encoding="utf-8"))
    assert "directory/templates/directory/public/home.html" in keys  # the walk found the pages
    assert "templates/base.html" in keys and "reports/public_views.py" in keys
    missing = {where: m for where, found in keys.items() if (m := _untranslated(found))}
    assert not missing, (
        "Spanish missing (translate in locale/es/LC_MESSAGES/django.po, then `make messages`): "
        f"{missing}"
    )


def test_marked_strings_are_found_in_templates_and_code():
    # The check above is only as good as its reading of the code.
    template = (
        '{% load i18n %}{% translate "Get help" %}{% translate "May" context "month" %}'
        "{% blocktranslate count n=k %}{{ n }} service{% plural %}{{ n }} services"
        "{% endblocktranslate %}<a title=\"{% translate 'Exit' %}\">"
    )
    path = Path(tempfile.mkdtemp()) / "page.html"
    path.write_text(template)
    assert _marked_in_template(path) == {
        "Get help",
        "month\x04May",
        "%(n)s service",
        "Exit",
    }
    code = '_("One")\ngettext_lazy("Two")\npgettext("ctx", "Three")\nngettext("a", "b", n)\n_(x)'
    assert _marked(code) == {"One", "Two", "ctx\x04Three", "a"}


def test_spanish_pages_look_up_no_untranslated_words(demo_directory, spanish_lookups):
    from safeharbor.directory.models import Event, Service

    with translation.override("es"):  # the recorder sees a missing word
        translation.gettext("A sentence no catalogue has")
    assert spanish_lookups == {"A sentence no catalogue has"}
    spanish_lookups.clear()
    client = Client()
    urls = [
        "/es/",
        "/es/get-help/",
        "/es/resources/",
        "/es/resources/?q=line&need=crisis&language=en&age=30&availability=24h",
        "/es/resources/?age=abc",
        f"/es/resources/{Service.objects.first().pk}/",
        "/es/events/",
        "/es/safety/",
        "/es/services/",
        "/es/law-enforcement/",
        "/es/legislative-priorities/",
        "/es/statistics/",
    ]
    urls += [f"/es/events/{e.pk}/" for e in Event.objects.filter(is_public=True)[:1]]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get("/es/no-such-page/").status_code == 404
    with translation.override("es"):
        server_error(RequestFactory().get("/es/"))
    assert not spanish_lookups, f"Shown in English on Spanish pages: {sorted(spanish_lookups)}"


def test_error_pages_speak_the_visitors_language_and_keep_the_way_out():
    html = Client().get("/es/resources/00000000-0000-0000-0000-000000000000/").content.decode()
    assert "No encontramos esa página" in html and "Salir de esta página" in html
    assert "We could not find that page" in Client().get("/no-such-page/").content.decode()
    with translation.override("es"):
        html = server_error(RequestFactory().get("/es/")).content.decode()
    assert "Algo salió mal de nuestro lado" in html
    assert 'href="tel:+18883737888"' in html and "Salir de esta página" in html


# Words makemessages can find ----------------------------------------------------------------
#
# xgettext does not look inside f-strings: ``f"{_('Arrest')} #{pk}"`` is never extracted, so it
# stays English in every language. Messages take their values through placeholders instead.


def _marked_inside_f_strings(code: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                name = getattr(getattr(inner, "func", None), "id", None)
                if isinstance(inner, ast.Call) and name in MARKERS:
                    found.append(ast.unparse(inner))
    return found


def test_no_message_is_marked_inside_an_f_string():
    assert _marked_inside_f_strings("x = f\"{_('Arrest')} #{pk}\"") == ["_('Arrest')"]
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" not in path.parts and (calls := _marked_inside_f_strings(path.read_text())):
            found[str(path.relative_to(PACKAGE))] = calls
    assert not found, f"makemessages cannot extract these (use a %(name)s placeholder): {found}"


# Under CI nothing skips: .ci/run installs GNU gettext when the machine lacks it.
@pytest.mark.skipif(
    shutil.which("xgettext") is None and not IN_CI, reason="needs GNU gettext (xgettext)"
)
def test_the_arrest_label_and_the_linkage_done_line_are_extracted_and_translated(tmp_path):
    from safeharbor.enforcement.models import Arrest

    sources = [PACKAGE / "enforcement/models.py", PACKAGE / "linkage/management/commands/link.py"]
    pot = tmp_path / "extracted.pot"
    subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=_"]
        + ["--keyword=gettext_noop", "--keyword=gettext_lazy", "-o", str(pot)]
        + [str(s) for s in sources],
        check=True,
        cwd=tmp_path,
    )
    extracted = {e.msgid for e in polib.pofile(str(pot))}
    assert {"Arrest #%(number)s", "Done"} <= extracted
    assert not _untranslated({"Arrest #%(number)s", "Done"})
    with translation.override("es"):
        assert str(Arrest(pk=12)) == "Arresto n.º 12"
    assert str(Arrest(pk=12)) == "Arrest #12"


def test_counts_are_written_the_way_the_readers_language_writes_numbers():
    from safeharbor.linkage.counts import _shown
    from safeharbor.reports.suppression import suppressed_number

    with translation.override("es"):
        assert str(suppressed_number(12345)) == "12\xa0345"
        assert str(suppressed_number(4)) == "menos de 11"
        assert _shown(1234567, False) == "1\xa0234\xa0567"
        # Files and the API stay machine-readable, whatever the page's language.
        assert suppressed_number(12345).export_value == 12345
    with translation.override("en"):
        assert str(suppressed_number(12345)) == "12,345"
        assert _shown(1234567, False) == "1,234,567"
