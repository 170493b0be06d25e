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
    response = browser_es.get("/accounts/login/")
    assert '<html lang="es">' in response.content.decode()
    assert "Accept-Language" in response["Vary"] and "no-store" in response["Cache-Control"]
    assert "django_language" not in response.cookies
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


def test_notifications_are_shown_in_each_readers_language(staff_client):
    from django.utils.translation import gettext_noop

    from safeharbor.referrals.choices import Urgency

    spanish_client, spanish_user = staff_client("caseworker")
    english_client, english_user = staff_client("caseworker")
    _choose(spanish_client, "es")
    services.notify_many(
        user_ids=[spanish_user.pk, english_user.pk],
        title=gettext_noop("New referral %(number)s"),
        title_params={"number": "R-41"},
        body=gettext_noop("A referral for %(reference)s is waiting for an answer (%(urgency)s)."),
        body_params={"reference": "P-7K2Q", "urgency": Urgency.URGENT.label},
        link="/staff/",
    )
    services.notify(user_id=spanish_user.pk, title=gettext_noop("Emergency access to review"))

    home = spanish_client.get("/staff/").content.decode()
    assert "Remisión nueva R-41" in home and "Acceso de emergencia para revisar" in home
    inbox = spanish_client.get("/staff/notifications/").content.decode()
    assert "Una remisión de P-7K2Q espera respuesta (Urgente: hoy)." in inbox
    inbox = english_client.get("/staff/notifications/").content.decode()
    assert "New referral R-41" in inbox
    assert "A referral for P-7K2Q is waiting for an answer (Urgent: today)." in inbox


def test_notifications_posted_before_the_change_are_translated_too(staff_client):
    from importlib import import_module

    from django.apps import apps

    from safeharbor.accounts.models import Notification

    client, user = staff_client("caseworker")
    _choose(client, "es")
    # Rows as they were stored before: English with the values written in.
    old = [
        Notification.objects.create(
            user=user,
            title="New referral R-9",
            body="A referral for P-2B is waiting for an answer (Routine).",
        ),
        Notification.objects.create(user=user, title="3 new actions on HB 3902"),
        Notification.objects.create(user=user, title="Something an operator wrote"),
    ]
    import_module("safeharbor.accounts.migrations.0004_notification_params").split_stored_messages(
        apps, None
    )
    first, second, third = (Notification.objects.get(pk=n.pk) for n in old)
    assert (first.title, first.title_params) == ("New referral %(number)s", {"number": "R-9"})
    assert first.body_params == {"reference": "P-2B", "urgency": {"translate": "Routine"}}
    assert second.title_params == {"count": 3, "bill": "HB 3902"}
    assert third.title == "Something an operator wrote" and third.title_params == {}
    inbox = client.get("/staff/notifications/").content.decode()
    assert "Remisión nueva R-9" in inbox and "3 acciones nuevas sobre HB 3902" in inbox
    assert "Something an operator wrote" in inbox
