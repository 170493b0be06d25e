"""REST API of privacy-preserving rounds, under /api/v1/linkage/private/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("rounds", api.PrivateRoundViewSet, basename="pprl-round")
router.register("uploads", api.EncodingUploadViewSet, basename="pprl-upload")

urlpatterns = router.urls
