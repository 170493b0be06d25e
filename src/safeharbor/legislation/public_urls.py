"""Public pages of the legislation area, included by the public site under each language
prefix (so names live in the ``public`` namespace)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path(
        "legislative-priorities/",
        public_views.legislative_priorities,
        name="legislative-priorities",
    ),
]
