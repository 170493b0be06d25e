"""Language-neutral public addresses: quick exit, the iCalendar feed, the HSDS API."""

from django.urls import include, path

from safeharbor.directory import public_views

urlpatterns = [
    path("exit", public_views.quick_exit, name="quick-exit"),
    path("events.ics", public_views.events_ics, name="events-ics"),
    path("events/<int:pk>.ics", public_views.event_ics, name="event-ics"),
    path("api/hsds/", include("safeharbor.directory.hsds.urls")),
]
