from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from arena.pages import views as pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("", include("arena.health.urls")),
    path("events/<slug:slug>/", pages.event_detail, name="event-detail"),
    path("", include("arena.submissions.urls")),
    path("", include("arena.training.urls")),
    path("", include("arena.judging.urls")),
    path("", include("arena.publishing.urls")),
    path("", include("arena.jobs.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("arena.accounts.urls")),
    # Browsers ask for /favicon.ico on pages without a link to one (the API's own pages).
    path("favicon.ico", RedirectView.as_view(url=static_url("img/favicon.svg"), permanent=True)),
    path("api/", include("arena.api.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "arena.api.not_found.not_found"
handler500 = "arena.health.views.server_error"
