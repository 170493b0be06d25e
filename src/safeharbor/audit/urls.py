"""Staff pages of this area: the auditor's event search and export, break-glass review."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export.csv", views.events_export, name="export"),
    path("break-glass/", views.break_glass_list, name="break-glass"),
    path("break-glass/<int:pk>/review/", views.break_glass_review_view, name="break-glass-review"),
]
