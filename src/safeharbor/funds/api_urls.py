"""REST API of this area, under /api/v1/funds/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
