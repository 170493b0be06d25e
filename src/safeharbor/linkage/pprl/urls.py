"""Staff pages of privacy-preserving rounds, at /staff/linkage/private/."""

from django.urls import path

from . import views

app_name = "pprl"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.round_new, name="round-new"),
    path("export/", views.export, name="export"),
    path("export/records.csv", views.export_csv, name="export-csv"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/encode/", views.encode_here, name="encode"),
    path("<int:pk>/uploads/<int:upload_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/count/", views.count, name="count"),
    path("<int:pk>/close/", views.close, name="close"),
]
