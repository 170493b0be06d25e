from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    VICTIM_SERVICE_PROVIDER = "victim_service_provider", _("Victim-service provider")
    HOUSING_PROVIDER = "housing_provider", _("Housing provider")
    CITY = "city", _("City")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    OTHER = "other", _("Other")


class ProgramKind(models.TextChoices):
    SURVIVOR_SERVICES = "survivor_services", _("Survivor services")
    HOUSING = "housing", _("Housing")
    INTAKE = "intake", _("Intake and crisis response")
    ENFORCEMENT = "enforcement", _("Enforcement unit")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    PROSECUTION = "prosecution", _("Prosecution")
    OTHER = "other", _("Other")


class Scope(models.TextChoices):
    ASSIGNED = "assigned", _("Records assigned to me or created by me")
    AGENCY = "agency", _("All records of my agency")


class RoleSlug(models.TextChoices):
    COORDINATOR = "coordinator", _("Program coordinator")
    CASEWORKER = "caseworker", _("Caseworker or advocate")
    SUPERVISOR = "supervisor", _("Supervisor")
    OFFICER = "officer", _("Police officer")
    DETECTIVE = "detective", _("Detective")
    PROPERTY_OFFICER = "property_officer", _("Property and evidence officer")
    FINANCE = "finance", _("Finance officer")
    ANALYST = "analyst", _("Analyst")
    EDITOR = "editor", _("Public content editor")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    """The languages a staff member can work in. Each is named in its own language, so a
    reader finds theirs whatever language the page is in."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
