"""Staff pages of the linkage area, at /staff/linkage/."""

from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/start/", views.run_start, name="run-start"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review-decide"),
]
