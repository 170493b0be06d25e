"""Staff pages of this area."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chart/", views.chart, name="chart"),
    path("performance/", views.performance, name="performance"),
]
