"""Accounts API: who am I (for integrations checking their token)."""

from django.urls import path

from . import views

urlpatterns = [path("me/", views.MeView.as_view(), name="api-me")]
