from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

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
    path("api/", include("arena.api.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "arena.api.not_found.not_found"
handler500 = "arena.health.views.server_error"
