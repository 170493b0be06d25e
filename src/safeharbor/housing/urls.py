"""Staff pages of this area, at /staff/housing/."""

from django.urls import path

from . import views

app_name = "housing"
urlpatterns = [
    path("", views.index, name="index"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/outcomes.csv", views.program_export, name="program-export"),
    path("programs/setup/<int:program_pk>/", views.program_settings, name="program-settings"),
    path("placements/new/", views.placement_new, name="placement-new"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("placements/<int:pk>/update/", views.placement_update, name="placement-update"),
    path("placements/<int:pk>/exit/", views.placement_exit, name="placement-exit"),
    path("placements/<int:pk>/return/", views.placement_return, name="placement-return"),
    path("placements/<int:pk>/schedule/", views.placement_schedule, name="placement-schedule"),
    path("payments/<int:pk>/approve/", views.payment_approve, name="payment-approve"),
    path("payments/<int:pk>/pay/", views.payment_pay, name="payment-pay"),
]
