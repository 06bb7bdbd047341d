from django.urls import path

from arena.jobs import views

urlpatterns = [
    path("events/<slug:slug>/queue/", views.queue_page, name="job-queue"),
    path("events/<slug:slug>/queue/<int:pk>/requeue/", views.requeue_view, name="job-requeue"),
    path("events/<slug:slug>/queue/<int:pk>/cancel/", views.cancel_view, name="job-cancel"),
]
