"""Sign-in steps and one-time links under /accounts/; the account page and administration
under /staff/account/ (behind the MFA gate)."""

from django.urls import path

from . import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/code/", views.code_step, name="code"),
    path("accounts/enrol/", views.enrol, name="enrol"),
    path("accounts/notice/", views.notice, name="notice"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password-reset"),
    path("accounts/set-password/<uidb64>/<token>/", views.set_password_link, name="invitation"),
    path("staff/account/", views.account, name="account"),
    path("staff/account/language/", views.change_language, name="change-language"),
    path("staff/account/password/", views.change_password, name="change-password"),
    path("staff/account/two-step/", views.reenrol, name="reenrol"),
    path("staff/account/switch/", views.switch_membership, name="switch-membership"),
    path("staff/account/admin/users/", admin_views.user_list, name="admin-users"),
    path("staff/account/admin/users/invite/", admin_views.user_invite, name="admin-invite"),
    path("staff/account/admin/users/<int:pk>/", admin_views.user_detail, name="admin-user"),
    path(
        "staff/account/admin/users/<int:pk>/<str:action>/",
        admin_views.user_action,
        name="admin-user-action",
    ),
    path(
        "staff/account/admin/memberships/<int:pk>/",
        admin_views.membership_edit,
        name="admin-membership",
    ),
    path("staff/account/admin/agencies/", admin_views.agency_list, name="admin-agencies"),
    path("staff/account/admin/agencies/new/", admin_views.agency_edit, name="admin-agency-new"),
    path("staff/account/admin/agencies/<int:pk>/", admin_views.agency_edit, name="admin-agency"),
    path("staff/account/admin/programs/new/", admin_views.program_edit, name="admin-program-new"),
    path("staff/account/admin/programs/<int:pk>/", admin_views.program_edit, name="admin-program"),
    path("staff/account/admin/tokens/", admin_views.token_list, name="admin-tokens"),
    path(
        "staff/account/admin/tokens/<int:pk>/revoke/",
        admin_views.token_revoke,
        name="admin-token-revoke",
    ),
]
