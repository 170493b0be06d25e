"""Staff pages of the police unit, at /staff/enforcement/."""

from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.index, name="index"),
    path("operations/new/", views.operation_new, name="operation-new"),
    path("operations/<int:pk>/", views.operation_detail, name="operation"),
    path("operations/<int:pk>/edit/", views.operation_edit, name="operation-edit"),
    path("operations/<int:pk>/contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("subjects/", views.subject_list, name="subjects"),
    path("subjects/new/", views.subject_new, name="subject-new"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("arrests/<int:pk>/charges/new/", views.charge_new, name="charge-new"),
    path("charges/<int:pk>/status/", views.charge_status, name="charge-status"),
    path("investigations/", views.investigation_list, name="investigations"),
    path("investigations/new/", views.investigation_new, name="investigation-new"),
    path("investigations/<int:pk>/", views.investigation_detail, name="investigation"),
    path("roster/", views.roster, name="roster"),
]
