"""A staff member works in the language they chose; the public site keeps its addresses."""

from __future__ import annotations

import pytest
from django.test import Client

from safeharbor.accounts import services
from safeharbor.accounts.models import User
from safeharbor.audit.models import AuditEvent

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def _choose(client: Client, language: str):
    return client.post("/staff/account/language/", {"language": language})


def test_a_staff_member_who_chooses_spanish_sees_spanish_staff_pages(staff_client):
    client, user = staff_client("caseworker")
    html = client.get("/staff/account/").content.decode()
    assert 'name="language" value="es"' in html and 'lang="es">Español</label>' in html

    response = _choose(client, "es")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "es"
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert any(e.fields == ["preferred_language"] for e in events)

    account = client.get("/staff/account/", follow=True)
    html = account.content.decode()
    assert '<html lang="es">' in html and account["Content-Language"] == "es"
    assert "Su idioma quedó guardado." in html and "Mi cuenta" in html
    home = client.get("/staff/").content.decode()
    assert "Está trabajando como <strong>Trabajador de casos o persona defensora</strong>" in home
    people = client.get("/staff/survivors/").content.decode()
    assert "<h1>Personas</h1>" in people and "Agregar una persona" in people

    # The public site still speaks the language of its address, and keeps its way out.
    public = Client()
    public.cookies = client.cookies
    english = public.get("/").content.decode()
    assert '<html lang="en">' in english and "Exit this page" in english
    assert "Salir de esta página" in public.get("/es/").content.decode()

    _choose(client, "en")
    assert "<h1>People</h1>" in client.get("/staff/survivors/").content.decode()


def test_one_persons_choice_does_not_reach_another(staff_client):
    spanish_client, spanish_user = staff_client("caseworker")
    english_client, _ = staff_client("caseworker", agency=spanish_user.memberships.get().agency)
    _choose(spanish_client, "es")
    # Interleaved requests (the same server thread serves both).
    assert "<h1>Personas</h1>" in spanish_client.get("/staff/survivors/").content.decode()
    html = english_client.get("/staff/survivors/").content.decode()
    assert "<h1>People</h1>" in html and '<html lang="en">' in html
    assert "<h1>Personas</h1>" in spanish_client.get("/staff/survivors/").content.decode()


def test_an_unknown_language_is_refused_and_nothing_changes(staff_client):
    client, user = staff_client("caseworker")
    response = _choose(client, "fr")
    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "en"
    with pytest.raises(Exception, match="English or Spanish"):
        services.user_set_language(user=user, language="xx")
    assert User.objects.get(pk=user.pk).preferred_language == "en"


def test_sign_in_follows_the_browser_and_the_choice_follows_sign_in(make_staff):
    browser_es = Client(headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    html = browser_es.get("/accounts/login/").content.decode()
    assert '<html lang="es">' in html
    no_preference = Client(headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert '<html lang="en">' in no_preference.get("/accounts/login/").content.decode()

    # A person who chose English sees English after signing in, whatever the browser says.
    user = make_staff("caseworker")
    sign_in(browser_es, user)
    assert "<h1>People</h1>" in browser_es.get("/staff/survivors/").content.decode()
    # The public site never follows the browser: no prefix is English.
    assert '<html lang="en">' in browser_es.get("/").content.decode()


def test_role_names_show_in_the_readers_language(staff_client):
    client, user = staff_client("admin")
    _choose(client, "es")
    html = client.get("/staff/account/").content.decode()
    assert "Administrador — " in html
    listing = client.get("/staff/account/admin/users/").content.decode()
    assert "Administrador (" in listing
    # A role an administrator renamed is shown as written.
    role = user.memberships.get().role
    role.name = "Jefa de sistemas"
    role.save(update_fields=["name"])
    assert "Jefa de sistemas — " in client.get("/staff/account/").content.decode()
