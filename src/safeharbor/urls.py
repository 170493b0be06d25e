"""Addresses: the public site (one prefix per language), /accounts/, /staff/, the APIs."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from safeharbor.core import views as core_views

api_v1 = [
    path("accounts/", include("safeharbor.accounts.api.urls")),
    path("survivors/", include("safeharbor.survivors.api_urls")),
    path("referrals/", include("safeharbor.referrals.api_urls")),
    path("enforcement/", include("safeharbor.enforcement.api_urls")),
    path("housing/", include("safeharbor.housing.api_urls")),
    path("assets/", include("safeharbor.assets.api_urls")),
    path("funds/", include("safeharbor.funds.api_urls")),
    path("legislation/", include("safeharbor.legislation.api_urls")),
    path("directory/", include("safeharbor.directory.api_urls")),
    path("linkage/private/", include("safeharbor.linkage.pprl.api_urls")),
    path("linkage/", include("safeharbor.linkage.api_urls")),
    path("reports/", include("safeharbor.reports.api_urls")),
    path("audit/", include("safeharbor.audit.api_urls")),
]

staff = [
    path("", include("safeharbor.core.urls")),
    path("survivors/", include("safeharbor.survivors.urls")),
    path("referrals/", include("safeharbor.referrals.urls")),
    path("enforcement/", include("safeharbor.enforcement.urls")),
    path("housing/", include("safeharbor.housing.urls")),
    path("assets/", include("safeharbor.assets.urls")),
    path("funds/", include("safeharbor.funds.urls")),
    path("legislation/", include("safeharbor.legislation.urls")),
    path("directory/", include("safeharbor.directory.urls")),
    path("linkage/private/", include("safeharbor.linkage.pprl.urls")),
    path("linkage/", include("safeharbor.linkage.urls")),
    path("reports/", include("safeharbor.reports.urls")),
    path("audit/", include("safeharbor.audit.urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("safeharbor.accounts.urls")),
    path("staff/", include(staff)),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("safeharbor.directory.root_urls")),
]

# The public site: English at /, Spanish at /es/ (no language cookie).
urlpatterns += i18n_patterns(
    path("", include("safeharbor.directory.public_urls")),
    prefix_default_language=False,
)

handler404 = "safeharbor.core.views.page_not_found"
