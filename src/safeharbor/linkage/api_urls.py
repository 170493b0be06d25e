"""REST API of the linkage area, under /api/v1/linkage/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("runs", views.LinkageRunViewSet, basename="linkage-run")
router.register("pairs", views.DuplicatePairViewSet, basename="linkage-pair")

urlpatterns = [
    path("counts/", views.UniqueCountView.as_view(), name="linkage-counts"),
    *router.urls,
]
