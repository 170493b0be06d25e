"""The public site, served under each language prefix (English at /, Spanish at /es/)."""

from django.urls import include, path

from safeharbor.directory import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.home, name="home"),
    path("services/", public_views.services_for_victims, name="services"),
    path("law-enforcement/", public_views.law_enforcement, name="law-enforcement"),
    path("get-help/", public_views.get_help, name="get-help"),
    path("resources/", public_views.resources, name="resources"),
    path("resources/<uuid:pk>/", public_views.resource_detail, name="resource-detail"),
    path("events/", public_views.events, name="events"),
    path("events/<int:pk>/", public_views.event_detail, name="event-detail"),
    path("safety/", public_views.safety, name="safety"),
    path("", include("safeharbor.legislation.public_urls")),
    path("", include("safeharbor.reports.public_urls")),
]
