"""REST API of this area, under /api/v1/reports/."""

from django.urls import path

from .api import views

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="reports-api-dashboard"),
    path("performance/", views.PerformanceView.as_view(), name="reports-api-performance"),
]
