"""Staff pages of referrals, at /staff/referrals/."""

from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.referral_settings, name="settings"),
    path("new/person/<int:person_pk>/", views.referral_new, name="new"),
    path("new/contact/<int:contact_pk>/", views.referral_from_contact, name="new-from-contact"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/accept/", views.referral_accept, name="accept"),
    path("<int:pk>/decline/", views.referral_decline, name="decline"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:pk>/complete/", views.referral_complete, name="complete"),
]
