"""Translatable content (django-modeltranslation): each field listed here gets one column per
language in settings.LANGUAGES (``title_en``, ``title_es``, ...). Reading ``title`` gives the
active language, falling back to English. Adding a language is a settings change plus a
migration of this app."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Event,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    TaxonomyTerm,
)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "place", "participants")


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("description",)


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = (
        "name",
        "description",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "alert",
    )


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("description", "transportation")


@register(Phone)
class PhoneTranslation(TranslationOptions):
    fields = ("description",)


@register(Schedule)
class ScheduleTranslation(TranslationOptions):
    fields = ("description",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("note",)


@register(TaxonomyTerm)
class TaxonomyTermTranslation(TranslationOptions):
    fields = ("name", "description")
