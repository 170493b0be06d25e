"""Staff pages of the restricted fund, at /staff/funds/."""

from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.fund_detail, name="fund"),
    path("<slug:slug>/journal/", views.journal, name="journal"),
    path("<slug:slug>/journal/<int:number>/", views.entry_detail, name="entry"),
    path("<slug:slug>/accounts/", views.accounts, name="accounts"),
    path("<slug:slug>/receipts/", views.receipts, name="receipts"),
    path("<slug:slug>/receipts/new/", views.receipt_new, name="receipt-new"),
    path("<slug:slug>/allocations/", views.allocations, name="allocations"),
    path("<slug:slug>/allocations/new/", views.allocation_new, name="allocation-new"),
    path("<slug:slug>/allocations/<int:pk>/", views.allocation_detail, name="allocation"),
    path("<slug:slug>/split/", views.shares, name="shares"),
    path("<slug:slug>/held-cash/", views.held_cash, name="held"),
    path("<slug:slug>/years/", views.fiscal_years, name="years"),
    path("<slug:slug>/years/<int:pk>/close/", views.fiscal_year_close, name="year-close"),
    path("<slug:slug>/reports/statement/", views.statement, name="statement"),
    path("<slug:slug>/reports/annual/", views.annual_report, name="annual-report"),
]
