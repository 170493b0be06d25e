"""Staff pages of this area, under /staff/survivors/."""

from django.urls import path

from . import views

app_name = "survivors"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/emergency-access/", views.person_break_glass, name="person-break-glass"),
    path(
        "people/<int:pk>/identifications/new/",
        views.identification_create,
        name="identification-create",
    ),
    path(
        "identifications/<int:pk>/status/",
        views.identification_status,
        name="identification-status",
    ),
    path("people/<int:pk>/screenings/new/", views.screening_create, name="screening-create"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening-detail"),
    path("people/<int:pk>/cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/services/new/", views.service_create, name="service-create"),
    path("cases/<int:pk>/notes/", views.note_create, name="note-create"),
    path("cases/<int:pk>/close/", views.case_close_request, name="case-close-request"),
    path("cases/<int:pk>/close/decision/", views.case_close_decide, name="case-close-decide"),
    path("services/<int:pk>/delivered/", views.service_delivered, name="service-delivered"),
    path("people/<int:pk>/consents/new/", views.consent_create, name="consent-create"),
    path("consents/<int:pk>/", views.consent_detail, name="consent-detail"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent-revoke"),
    path("people/<int:pk>/missing/new/", views.missing_create, name="missing-create"),
    path("missing/<int:pk>/", views.missing_detail, name="missing-detail"),
    path("missing/<int:pk>/report/<str:to>/", views.missing_report, name="missing-report"),
    path("missing/<int:pk>/return/", views.missing_return, name="missing-return"),
    path("import/", views.import_people, name="import"),
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("instruments/new/", views.instrument_create, name="instrument-create"),
]
