"""REST API of this area, under /api/v1/housing/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("programs", views.HousingProgramViewSet, basename="housing-program")
router.register("units", views.UnitViewSet, basename="housing-unit")
router.register("placements", views.PlacementViewSet, basename="housing-placement")
router.register("payments", views.AssistancePaymentViewSet, basename="housing-payment")

urlpatterns = router.urls
