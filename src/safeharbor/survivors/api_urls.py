"""REST API of this area, under /api/v1/survivors/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="survivors-person")
router.register("identifications", views.IdentificationViewSet, basename="survivors-identification")
router.register("instruments", views.InstrumentViewSet, basename="survivors-instrument")
router.register("screenings", views.ScreeningViewSet, basename="survivors-screening")
router.register("cases", views.CaseViewSet, basename="survivors-case")
router.register("consents", views.ConsentViewSet, basename="survivors-consent")
router.register("missing-episodes", views.MissingEpisodeViewSet, basename="survivors-missing")
router.register("import", views.ImportViewSet, basename="survivors-import")

urlpatterns = router.urls
