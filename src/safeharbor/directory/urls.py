"""Staff pages of this area, under /staff/directory/."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:kind>/", views.object_list, name="list"),
    path("<slug:kind>/add/", views.object_edit, name="add"),
    path("<slug:kind>/<str:pk>/", views.object_edit, name="edit"),
    path("<slug:kind>/<str:pk>/delete/", views.object_delete, name="delete"),
]
