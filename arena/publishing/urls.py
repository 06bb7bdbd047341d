from django.urls import path

from arena.publishing import views

urlpatterns = [
    path(
        "publishing/soundcloud/connect/",
        views.soundcloud_connect_view,
        name="soundcloud-connect",
    ),
    path(
        "publishing/soundcloud/callback/",
        views.soundcloud_callback_view,
        name="soundcloud-callback",
    ),
    path(
        "publishing/soundcloud/disconnect/",
        views.soundcloud_disconnect_view,
        name="soundcloud-disconnect",
    ),
    path("events/<slug:slug>/publish/", views.publish_view, name="soundcloud-publish"),
]
