"""The public site, served under each language prefix."""

from django.urls import include, path

from safeharbor.directory import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.home, name="home"),
    path("", include("safeharbor.legislation.public_urls")),
]
