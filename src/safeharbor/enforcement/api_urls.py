"""REST API of the police unit, under /api/v1/enforcement/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("operations", views.OperationViewSet, basename="enforcement-operation")
router.register("contacts", views.ContactViewSet, basename="enforcement-contact")
router.register("follow-ups", views.FollowUpViewSet, basename="enforcement-followup")
router.register("subjects", views.SubjectViewSet, basename="enforcement-subject")
router.register("arrests", views.ArrestViewSet, basename="enforcement-arrest")
router.register("investigations", views.InvestigationViewSet, basename="enforcement-investigation")

urlpatterns = router.urls
