from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("files/<uuid:key>/", views.encrypted_file, name="file"),
]
