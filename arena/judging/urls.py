from django.urls import path

from arena.judging import views

urlpatterns = [
    path("events/<slug:slug>/judging/", views.judging_desk, name="judging-desk"),
    path("events/<slug:slug>/judging/invite/", views.judge_invite_view, name="judge-invite"),
    path("events/<slug:slug>/judging/weights/", views.weights_view, name="judging-weights"),
    path("events/<slug:slug>/judging/phase/", views.phase_view, name="event-phase"),
    path("events/<slug:slug>/judging/publish/", views.results_publish_view, name="results-publish"),
    path("events/<slug:slug>/judge/", views.judge_entries, name="judge-entries"),
    path("events/<slug:slug>/judge/<int:pk>/", views.judge_score, name="judge-score"),
    path("events/<slug:slug>/leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("events/<slug:slug>/leaderboard.csv", views.leaderboard_csv, name="leaderboard-csv"),
    path("entries/<int:pk>/<str:kind>/", views.entry_file, name="entry-file"),
]
