from django.urls import path

from arena.training import views

urlpatterns = [
    path("events/<slug:slug>/training/", views.training_page, name="training"),
    path("events/<slug:slug>/training/start/", views.training_start_view, name="training-start"),
    path("events/<slug:slug>/training/desk/", views.training_desk, name="training-desk"),
    path("events/<slug:slug>/training/policy/", views.training_policy_view, name="training-policy"),
    path("trainings/<int:pk>/", views.training_detail, name="training-detail"),
    path("trainings/<int:pk>/status.json", views.training_status_json, name="training-status"),
    path("trainings/<int:pk>/cancel/", views.training_cancel_view, name="training-cancel"),
    path(
        "trainings/<int:pk>/samples/<int:step>/<str:kind>/",
        views.training_sample,
        name="training-sample",
    ),
]
