"""REST API of this area, under /api/v1/funds/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("funds", views.FundViewSet, basename="funds-fund")
router.register("entries", views.EntryViewSet, basename="funds-entry")
router.register("receipts", views.ReceiptViewSet, basename="funds-receipt")
router.register("allocations", views.AllocationViewSet, basename="funds-allocation")
router.register("payments", views.PaymentViewSet, basename="funds-payment")

urlpatterns = router.urls
