"""Public pages of the reports area, included by the public site under each language prefix
(names live in the ``public`` namespace)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("statistics/", public_views.statistics, name="statistics"),
]
