from django.urls import path

from arena.submissions import score_pages, views

urlpatterns = [
    path("events/<slug:slug>/team/create/", views.team_create_view, name="team-create"),
    path("events/<slug:slug>/team/join/", views.team_join_view, name="team-join"),
    path("events/<slug:slug>/studio/", views.studio, name="studio"),
    path("events/<slug:slug>/studio/upload/", views.melody_upload, name="melody-upload"),
    path("events/<slug:slug>/studio/sample/", views.melody_sample, name="melody-sample"),
    path("events/<slug:slug>/studio/melody/", views.melody_editor_save, name="melody-editor"),
    path("events/<slug:slug>/studio/compose/", views.compose_view, name="compose"),
    path("melodies/<int:pk>/melody.mid", views.melody_file, name="melody-file"),
    path("melodies/<int:pk>/", score_pages.melody_detail, name="melody-detail"),
    path(
        "melodies/<int:pk>/melody.musicxml",
        score_pages.melody_sheet_music,
        name="melody-sheet-music",
    ),
    path("melodies/<int:pk>/notes.json", score_pages.melody_notes, name="melody-notes"),
    path(
        "events/<slug:slug>/studio/compare/",
        score_pages.composition_compare,
        name="composition-compare",
    ),
    path("compositions/<int:pk>/", views.composition_detail, name="composition-detail"),
    path("compositions/<int:pk>/submit/", views.composition_submit_view, name="composition-submit"),
    path("compositions/<int:pk>/retry/", views.composition_retry_view, name="composition-retry"),
    path("compositions/<int:pk>/<str:kind>/", views.composition_file, name="composition-file"),
]
