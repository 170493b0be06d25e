"""Staff pages of seized property, at /staff/assets/."""

from django.urls import path

from . import views

app_name = "assets"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.seize, name="seize"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/custody/", views.custody_add, name="custody-add"),
    path("<int:pk>/forfeiture/", views.step_add, name="step-add"),
    path("<int:pk>/disposition/", views.dispose, name="dispose"),
    path("<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("<int:pk>/lienholders/", views.lien_add, name="lien-add"),
    path("settings/", views.settings_page, name="settings"),
    path("reports/", views.reports, name="reports"),
    path("reports/seizures/", views.seizure_report, name="seizure-report"),
    path("reports/judgments/", views.judgment_report, name="judgment-report"),
]
