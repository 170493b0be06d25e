"""Staff pages of this area, under /staff/legislation/."""

from django.urls import path

from . import views

app_name = "legislation"
urlpatterns = [
    path("", views.bill_list_view, name="bill-list"),
    path("bills/add/", views.bill_create, name="bill-create"),
    path("bills/import/", views.bill_import, name="bill-import"),
    path("bills/<int:pk>/", views.bill_detail, name="bill-detail"),
    path("bills/<int:pk>/edit/", views.bill_edit, name="bill-edit"),
    path("bills/<int:pk>/actions/", views.bill_action_add, name="bill-action-add"),
    path("bills/<int:pk>/position/", views.bill_position, name="bill-position"),
    path("bills/<int:pk>/notes/", views.bill_note_add, name="bill-note-add"),
    path("bills/<int:pk>/watch/", views.bill_watch, name="bill-watch"),
    path("bills/<int:pk>/agenda/", views.agenda_item_add, name="agenda-item-add"),
    path("agenda/<int:pk>/remove/", views.agenda_item_remove, name="agenda-item-remove"),
    path("statutes/", views.statute_list, name="statute-list"),
    path("statutes/add/", views.statute_create, name="statute-create"),
    path("statutes/<int:pk>/edit/", views.statute_edit, name="statute-edit"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction-list"),
    path("jurisdictions/add/", views.jurisdiction_create, name="jurisdiction-create"),
    path("sessions/add/", views.session_create, name="session-create"),
    path("priorities/", views.priority_list, name="priority-list"),
    path("priorities/add/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/proposals/add/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="proposal-move"),
]
