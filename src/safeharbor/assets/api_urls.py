"""REST API of seized property, under /api/v1/assets/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("assets", views.SeizedAssetViewSet, basename="assets-asset")

urlpatterns = router.urls
