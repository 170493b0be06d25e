"""REST API of referrals, under /api/v1/referrals/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("referrals", views.ReferralViewSet, basename="referrals-referral")

urlpatterns = [
    path("settings/", views.ReferralSettingsView.as_view(), name="referrals-settings"),
    *router.urls,
]
