"""REST API of this area, under /api/v1/enforcement/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
