"""Translatable content of the legislation area (django-modeltranslation, as the directory
uses): each field listed gets one column per site language (``summary_en``, ``summary_es``);
reading ``summary`` gives the visitor's language, falling back to English."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Bill, Priority, Proposal, Statute


@register(Statute)
class StatuteTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Bill)
class BillTranslation(TranslationOptions):
    fields = ("summary",)


@register(Priority)
class PriorityTranslation(TranslationOptions):
    fields = ("title", "objective", "issue")


@register(Proposal)
class ProposalTranslation(TranslationOptions):
    fields = ("text",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("description",)
