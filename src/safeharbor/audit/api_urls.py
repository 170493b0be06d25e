"""REST API of this area, under /api/v1/audit/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
