"""Public pages of the legislation area, included by the public site under each language
prefix (so names live in the ``public`` namespace)."""

from django.urls import path
from django.views.generic import RedirectView

from . import public_views

urlpatterns = [
    # The one address of the page, under each language prefix like every public page.
    path(
        "legislative-priorities/",
        public_views.legislative_priorities,
        name="legislative-priorities",
    ),
    # The former short address moved here for good (same language, 301).
    path(
        "priorities/",
        RedirectView.as_view(pattern_name="public:legislative-priorities", permanent=True),
    ),
]
