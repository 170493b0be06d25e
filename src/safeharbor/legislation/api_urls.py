"""REST API of this area, under /api/v1/legislation/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("jurisdictions", views.JurisdictionViewSet, basename="legislation-jurisdiction")
router.register("sessions", views.SessionViewSet, basename="legislation-session")
router.register("statutes", views.StatuteViewSet, basename="legislation-statute")
router.register("bills", views.BillViewSet, basename="legislation-bill")
router.register("priorities", views.PriorityViewSet, basename="legislation-priority")
router.register("agenda-items", views.AgendaItemViewSet, basename="legislation-agendaitem")

urlpatterns = router.urls
