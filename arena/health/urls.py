from django.urls import path

from arena.health import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
