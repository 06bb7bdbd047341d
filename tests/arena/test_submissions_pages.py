"""The team panel, the studio and a piece's page, through the Django test client."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from arena.events.models import Team
from arena.jobs.models import JobStatus
from arena.submissions.models import Composition, Melody
from tests.factories.accounts import PASSWORD


def test_event_page_invites_a_newcomer_to_form_or_join_a_team(client, composing_event, make_user):
    client.force_login(make_user("erin"))
    html = client.get("/events/space-odyssey/").content.decode()
    assert "Start a team" in html and "Join a team" in html


def test_newcomer_creates_a_team_and_another_joins_by_code(client, composing_event, make_user):
    client.force_login(make_user("erin"))
    response = client.post("/events/space-odyssey/team/create/", {"name": "Cantata Crew"})
    assert response.status_code == 302 and response.url == "/events/space-odyssey/studio/"
    team = Team.objects.get(name="Cantata Crew")
    client.force_login(make_user("frank"))
    client.post("/events/space-odyssey/team/join/", {"invite_code": team.invite_code})
    assert team.memberships.count() == 2
    html = client.get("/events/space-odyssey/").content.decode()
    assert team.invite_code in html and "Open your team's studio" in html


def test_studio_lists_melodies_and_shows_empty_history(client, composing_teams):
    client.login(username="alice", password=PASSWORD)
    html = client.get("/events/space-odyssey/studio/").content.decode()
    assert "Ode to Joy" in html and "16 bars" in html
    assert "Nothing composed yet" in html


def test_bad_upload_shows_the_reason_on_the_form(client, composing_teams):
    client.login(username="alice", password=PASSWORD)
    before = Melody.objects.count()
    response = client.post(
        "/events/space-odyssey/studio/upload/",
        {"file": SimpleUploadedFile("bad.mid", b"hello", content_type="audio/midi")},
    )
    assert response.status_code == 400
    assert "We could not use this file" in response.content.decode()
    assert Melody.objects.count() == before


def test_compose_from_the_studio_opens_the_piece_page(client, composing_teams):
    client.login(username="alice", password=PASSWORD)
    melody = Melody.objects.get(team__name="Fugue State", team__event__slug="space-odyssey")
    response = client.post(
        "/events/space-odyssey/studio/compose/",
        {
            "melody": melody.pk,
            "model": "gan",
            "style": "baroque",
            "risk": 1.0,
            "seconds": 60,
            "seed": 0,
        },
    )
    composition = Composition.objects.get(melody=melody)
    assert response.url == f"/compositions/{composition.pk}/"
    html = client.get(response.url).content.decode()
    assert "<progress" in html and "composition.js" in html


def test_finished_and_failed_pieces(client, composing_teams):
    client.login(username="alice", password=PASSWORD)
    melody = Melody.objects.get(team__name="Fugue State", team__event__slug="space-odyssey")
    client.post(
        "/events/space-odyssey/studio/compose/",
        {
            "melody": melody.pk,
            "model": "gan",
            "style": "baroque",
            "risk": 1.0,
            "seconds": 60,
            "seed": 0,
        },
    )
    composition = Composition.objects.get(melody=melody)
    job = composition.job
    job.status, job.error = JobStatus.FAILED, "Stopped after its time limit of 600 s."
    job.save()
    html = client.get(f"/compositions/{composition.pk}/").content.decode()
    assert "time limit" in html and "Try again" in html
    job.status = JobStatus.DONE
    job.save()
    html = client.get(f"/compositions/{composition.pk}/").content.decode()
    assert "Make this our entry" in html
    client.post(f"/compositions/{composition.pk}/submit/")
    composition.refresh_from_db()
    assert composition.is_entry


def test_other_teams_get_404(client, composing_teams):
    client.login(username="alice", password=PASSWORD)
    melody = Melody.objects.get(team__name="Fugue State", team__event__slug="space-odyssey")
    client.post(
        "/events/space-odyssey/studio/compose/",
        {
            "melody": melody.pk,
            "model": "gan",
            "style": "baroque",
            "risk": 1.0,
            "seconds": 60,
            "seed": 0,
        },
    )
    composition = Composition.objects.get(melody=melody)
    client.login(username="carol", password=PASSWORD)
    assert client.get(f"/compositions/{composition.pk}/").status_code == 404
    assert client.get(f"/melodies/{melody.pk}/melody.mid").status_code == 404
    assert client.get(f"/compositions/{composition.pk}/midi/").status_code == 404


def test_the_history_compares_finished_pieces_and_picks_the_entry(client, composing_teams):
    from django.core.files.base import ContentFile

    client.login(username="alice", password=PASSWORD)
    melody = Melody.objects.get(team__name="Fugue State", team__event__slug="space-odyssey")

    def compose(seed: int) -> Composition:
        form = {"melody": melody.pk, "model": "gan", "style": "baroque", "risk": 1.0}
        client.post("/events/space-odyssey/studio/compose/", {**form, "seconds": 60, "seed": seed})
        return Composition.objects.get(melody=melody, seed=seed)

    first, second = compose(1), compose(2)
    for piece, parallels in ((first, 0.25), (second, 0.0)):
        piece.metrics = {
            "in_scale_rate": 0.97,
            "parallel_5ths_8ves_per_bar": parallels,
            "voice_crossings_per_bar": 0.1,
            "pitch_classes_per_bar": 6.5,
        }
        piece.audio.save("piece.wav", ContentFile(b"RIFF"), save=True)
        piece.job.status = JobStatus.DONE
        piece.job.save()

    first.audio_compressed.save("piece.mp3", ContentFile(b"ID3"), save=True)
    waiting = compose(3)
    html = client.get("/events/space-odyssey/studio/").content.decode()
    # The studio plays a piece's light MP3 where it has one, else its WAV.
    assert f'src="/compositions/{first.pk}/audio_compressed/"' in html
    assert f'src="/compositions/{first.pk}/audio/"' not in html
    assert f'src="/compositions/{second.pk}/audio/"' in html
    for piece in (first, second):
        assert f'action="/compositions/{piece.pk}/submit/"' in html
    assert f'src="/compositions/{waiting.pk}/audio/"' not in html  # not finished: nothing to hear
    assert "0.25 per bar" in html and "0.00 per bar" in html and html.count("6.5") == 2

    client.post(f"/compositions/{second.pk}/submit/")
    html = client.get("/events/space-odyssey/studio/").content.decode()
    assert f'action="/compositions/{second.pk}/submit/"' not in html  # it is the entry now
    assert f'action="/compositions/{first.pk}/submit/"' in html and "Our entry" in html
