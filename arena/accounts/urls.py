from django.urls import path

from arena.accounts import views

urlpatterns = [
    path("account/api-token/", views.api_token_page, name="api-token-page"),
]
