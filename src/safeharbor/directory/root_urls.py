"""Language-neutral public addresses: quick exit, the iCalendar feed, the HSDS API."""

from django.urls import path

from safeharbor.directory import public_views

urlpatterns = [
    path("exit", public_views.quick_exit, name="quick-exit"),
]
