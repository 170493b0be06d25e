"""/api/hsds/: the Open Referral HSDS 3.0 API (read-only)."""

from django.urls import path, re_path

from . import views

ID = r"(?P<pk>[^/]+)"

urlpatterns = [
    path("", views.RootView.as_view(), name="hsds-root"),
    path("services", views.ServiceListView.as_view(), name="hsds-services"),
    re_path(rf"^services/{ID}$", views.ServiceDetailView.as_view(), name="hsds-service"),
    path("organizations", views.OrganizationListView.as_view(), name="hsds-organizations"),
    re_path(
        rf"^organizations/{ID}$", views.OrganizationDetailView.as_view(), name="hsds-organization"
    ),
    path(
        "service_at_locations",
        views.ServiceAtLocationListView.as_view(),
        name="hsds-service-at-locations",
    ),
    re_path(
        rf"^service_at_locations/{ID}$",
        views.ServiceAtLocationDetailView.as_view(),
        name="hsds-service-at-location",
    ),
    path("taxonomies", views.TaxonomyListView.as_view(), name="hsds-taxonomies"),
    re_path(rf"^taxonomies/{ID}$", views.TaxonomyDetailView.as_view(), name="hsds-taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermListView.as_view(), name="hsds-taxonomy-terms"),
    re_path(
        rf"^taxonomy_terms/{ID}$", views.TaxonomyTermDetailView.as_view(), name="hsds-taxonomy-term"
    ),
]
