"""REST API of referrals, under /api/v1/referrals/."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("referrals", views.ReferralViewSet, basename="referrals-referral")

urlpatterns = router.urls
