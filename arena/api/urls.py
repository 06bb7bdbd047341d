from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from arena.api.views import EventViewSet
from arena.jobs.api import EventJobsApi, JobCancelApi, JobRequeueApi
from arena.judging.api import EventEntriesApi, LeaderboardApi, ScoreCreateApi
from arena.publishing.api import PublishApi
from arena.submissions.api import (
    CompositionCreateApi,
    CompositionDetailApi,
    CompositionSubmitApi,
    MelodyCreateApi,
    MelodyNotesCreateApi,
)
from arena.training.api import (
    EventModelsApi,
    EventTrainingsApi,
    TrainingCancelApi,
    TrainingDetailApi,
)

app_name = "api"
router = DefaultRouter()
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:api-schema"), name="docs"),
    path("events/<slug:slug>/melodies/", MelodyCreateApi.as_view(), name="event-melodies"),
    path(
        "events/<slug:slug>/melodies/notes/",
        MelodyNotesCreateApi.as_view(),
        name="event-melody-notes",
    ),
    path(
        "melodies/<int:pk>/compositions/",
        CompositionCreateApi.as_view(),
        name="melody-compositions",
    ),
    path("compositions/<int:pk>/", CompositionDetailApi.as_view(), name="composition-detail"),
    path(
        "compositions/<int:pk>/submit/", CompositionSubmitApi.as_view(), name="composition-submit"
    ),
    path("events/<slug:slug>/entries/", EventEntriesApi.as_view(), name="event-entries"),
    path("entries/<int:pk>/scores/", ScoreCreateApi.as_view(), name="entry-scores"),
    path("events/<slug:slug>/leaderboard/", LeaderboardApi.as_view(), name="event-leaderboard"),
    path("events/<slug:slug>/publish/", PublishApi.as_view(), name="event-publish"),
    path("events/<slug:slug>/trainings/", EventTrainingsApi.as_view(), name="event-trainings"),
    path("trainings/<int:pk>/", TrainingDetailApi.as_view(), name="training-detail"),
    path("trainings/<int:pk>/cancel/", TrainingCancelApi.as_view(), name="training-cancel"),
    path("events/<slug:slug>/models/", EventModelsApi.as_view(), name="event-models"),
    path("events/<slug:slug>/jobs/", EventJobsApi.as_view(), name="event-jobs"),
    path("jobs/<int:pk>/requeue/", JobRequeueApi.as_view(), name="job-requeue"),
    path("jobs/<int:pk>/cancel/", JobCancelApi.as_view(), name="job-cancel"),
    path("", include(router.urls)),
]
