"""Teams' own models: bounds, limits, permissions and cancelling, through services, pages and API.

No job runs here (the test transaction never commits, so nothing is sent to a queue); the job
itself is tested in test_training_handler.py and, with a real worker, in tests/integration.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arena.accounts.models import User
from arena.events.models import Event, Phase, Team
from arena.jobs.models import JobKind, JobStatus
from arena.jobs.services import job_start
from arena.judging.models import JudgeAssignment
from arena.submissions.models import ComposerModel, Melody
from arena.submissions.services import composition_create
from arena.training.models import TrainingPolicy, TrainingRun
from arena.training.recipes import DEFAULTS, SIZES
from arena.training.selectors import event_model_list, team_model_list, training_get_for_user
from arena.training.services import (
    TrainingLimitReached,
    training_cancel,
    training_policy_set,
    training_start,
)
from tests.factories.accounts import PASSWORD, OrganiserFactory, UserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.judging import results_published
from tests.factories.submissions import MelodyFactory
from tests.factories.training import training_finished


@pytest.fixture
def live(db, settings, tmp_path) -> Event:  # type: ignore[no-untyped-def]
    """An event in its composing phase run by the organiser, with two teams: Fugue State (Alice
    and Bob) and Well-Tempered Rockets (Carol)."""
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(slug="space-odyssey", organiser=OrganiserFactory(username="organiser"))
    members = [UserFactory(username=name, display_name=name.title()) for name in ("alice", "bob")]
    TeamFactory(event=event, name="Fugue State", members=members)
    rockets = [UserFactory(username="carol", display_name="Carol")]
    TeamFactory(event=event, name="Well-Tempered Rockets", members=rockets)
    return event


@pytest.fixture
def melody(live) -> Melody:  # type: ignore[no-untyped-def]
    """Fugue State's melody, Ode to Joy."""
    return MelodyFactory(team=_team(), slug="ode-to-joy")


def _finished_event(live: Event) -> Event:
    """The organiser's earlier event, over, with Alice's team Fugue State in it as well."""
    finished = EventFactory(slug="bach-to-the-future", finished=True, organiser=live.organiser)
    TeamFactory(event=finished, name="Fugue State", members=[_user("alice")])
    return finished


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _team(name: str = "Fugue State", event: str = "space-odyssey") -> Team:
    return Team.objects.get(event__slug=event, name=name)


_finished = training_finished  # as the worker leaves a run that trained: done, with weights


def test_the_defaults_are_the_shipped_cpu_recipe():
    from composer.models.gan import GanConfig
    from composer.training.gan import RECIPES

    cpu = RECIPES["cpu"]
    assert DEFAULTS["steps"] == cpu.steps
    assert DEFAULTS["learning_rate"] == cpu.lr_generator == cpu.lr_critic
    assert DEFAULTS["critic_steps"] == cpu.critic_steps
    assert DEFAULTS["augment"] == cpu.augment and DEFAULTS["seed"] == cpu.seed
    shipped = asdict(GanConfig())
    assert DEFAULTS["noise_channels"] == shipped["noise_channels"]
    standard = SIZES["standard"]
    assert {k: shipped[k] for k in standard} == {
        **standard,
        "mid_dilations": tuple(standard["mid_dilations"]),
    }


def test_a_member_starts_a_training_on_the_gpu_queue(live):
    training = training_start(team=_team(), user=_user("alice"), steps=300, learning_rate=3e-3)
    assert training.job.queue == "gpu" and training.job.kind == JobKind.TRAIN_GAN
    assert training.job.payload["training_id"] == training.pk
    assert training.config["steps"] == 300 and training.config["critic_steps"] == 1
    assert training.budget_seconds == 8 * 60
    assert training.status == JobStatus.QUEUED


@pytest.mark.parametrize(
    "choice",
    [
        {"steps": 5},
        {"learning_rate": 0.5},
        {"critic_steps": 0},
        {"noise_channels": 1000},
        {"size": "huge"},
        {"augment": "maybe"},
        {"batch_size": 4096},
    ],
)
def test_settings_out_of_bounds_are_refused(live, choice):
    with pytest.raises(ValidationError):
        training_start(team=_team(), user=_user("alice"), **choice)
    assert not TrainingRun.objects.exists()


def test_only_members_train_and_only_while_the_event_is_open(live):
    with pytest.raises(PermissionDenied):
        training_start(team=_team(), user=_user("carol"))
    _finished_event(live)
    with pytest.raises(ValidationError, match="Results phase"):
        training_start(team=_team(event="bach-to-the-future"), user=_user("alice"))


def test_limits_on_concurrent_and_total_trainings(live):
    event = live
    training_policy_set(
        event=event,
        user=_user("organiser"),
        minutes_per_job=3,
        max_concurrent_per_team=1,
        max_total_per_team=2,
    )
    first = training_start(team=_team(), user=_user("alice"))
    assert first.budget_seconds == 180
    with pytest.raises(TrainingLimitReached, match="in progress"):
        training_start(team=_team(), user=_user("bob"))
    _finished(first)
    training_start(team=_team(), user=_user("bob"))
    TrainingRun.objects.update()  # the second runs on; finish it too
    _finished(TrainingRun.objects.exclude(pk=first.pk).get())
    with pytest.raises(TrainingLimitReached, match="all 2"):
        training_start(team=_team(), user=_user("alice"))
    # Another team has its own allowance.
    training_start(team=_team("Well-Tempered Rockets"), user=_user("carol"))


def test_the_budget_stays_within_the_job_time_limit(live, settings):
    settings.CELERY_JOB_TIME_LIMIT = 600
    TrainingPolicy.objects.create(event=live, minutes_per_job=60)
    training = training_start(team=_team(), user=_user("alice"))
    assert training.budget_seconds == 570


def test_only_organisers_set_the_policy(live):
    with pytest.raises(PermissionDenied):
        training_policy_set(
            event=live,
            user=_user("alice"),
            minutes_per_job=60,
            max_concurrent_per_team=5,
            max_total_per_team=50,
        )


def test_cancelling_a_queued_training_ends_it_at_once(live):
    training = training_start(team=_team(), user=_user("alice"))
    with pytest.raises(PermissionDenied):
        training_cancel(training=training, user=_user("carol"))
    training = training_cancel(training=training, user=_user("bob"))
    assert training.status == "cancelled" and "Bob" in training.job.error
    with pytest.raises(ValidationError):
        training_cancel(training=training, user=_user("bob"))
    # A run cancelled before it started does not count against the team's total.
    TrainingPolicy.objects.create(event=live, max_total_per_team=1)
    training_start(team=_team(), user=_user("alice"))


def test_an_organiser_stops_a_running_training(live):
    training = training_start(team=_team(), user=_user("alice"))
    job_start(job_id=training.job_id)
    training = training_cancel(training=training, user=_user("organiser"))
    # The worker stops it at its next step; until then it is running and stopping.
    assert training.job.status == JobStatus.RUNNING and training.cancel_requested_at


def test_a_teams_model_is_its_own_until_results(live):
    training = _finished(training_start(team=_team(), user=_user("alice")))
    alice, carol = _user("alice"), _user("carol")
    assert list(team_model_list(team=_team())) == [training]
    assert list(event_model_list(event=live, user=alice)) == [training]
    assert not event_model_list(event=live, user=carol).exists()
    with pytest.raises(TrainingRun.DoesNotExist):
        training_get_for_user(training_id=training.pk, user=carol)
    assert training_get_for_user(training_id=training.pk, user=_user("organiser")) == training
    # Another team cannot compose with it.
    rockets = _team("Well-Tempered Rockets")
    from arena.submissions.services import melody_create_from_sample

    melody = melody_create_from_sample(team=rockets, user=carol, slug="ode-to-joy")
    with pytest.raises(ValidationError, match="your team's finished models"):
        composition_create(melody=melody, user=carol, model=training.model_key)
    # After the results everyone may see it.
    live.phase = Phase.RESULTS
    live.save()
    assert training_get_for_user(training_id=training.pk, user=carol) == training
    assert list(event_model_list(event=live, user=carol)) == [training]


def test_a_composition_records_the_team_model_that_made_it(melody):
    training = _finished(training_start(team=_team(), user=_user("alice")))
    composition = composition_create(melody=melody, user=_user("alice"), model=training.model_key)
    assert composition.model == ComposerModel.TEAM and composition.team_model == training
    assert composition.job.payload["model"] == training.model_key
    assert training.name in composition.model_label
    unfinished = training_start(team=_team(), user=_user("alice"))
    with pytest.raises(ValidationError):
        composition_create(melody=melody, user=_user("alice"), model=unfinished.model_key)
    with pytest.raises(ValidationError):
        composition_create(melody=melody, user=_user("alice"), model="team:x")


# Pages ------------------------------------------------------------------------------------------


def test_training_page_and_model_menu(client, melody):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/events/space-odyssey/training/")
    assert page.status_code == 200 and b"Start training" in page.content
    response = client.post(
        "/events/space-odyssey/training/start/",
        {
            "size": "tiny",
            "steps": 50,
            "learning_rate": 0.002,
            "critic_steps": 2,
            "noise_channels": 8,
            "augment": "on",
            "seed": 3,
        },
    )
    training = TrainingRun.objects.get()
    assert response.status_code == 302 and response.url == f"/trainings/{training.pk}/"
    assert training.config["noise_channels"] == 8 and training.config["augment"] is True
    detail = client.get(response.url)
    assert detail.status_code == 200 and b"Cancel training" in detail.content
    status = client.get(f"/trainings/{training.pk}/status.json").json()
    assert status["status"] == "queued" and status["steps"] == 50
    _finished(training)
    studio = client.get("/events/space-odyssey/studio/")
    assert f'value="{training.model_key}"'.encode() in studio.content
    assert b"Train a model" in studio.content


def test_bad_settings_on_the_page_say_why(client, live):
    client.login(username="alice", password=PASSWORD)
    response = client.post("/events/space-odyssey/training/start/", {"steps": 3})
    assert response.status_code == 400 and not TrainingRun.objects.exists()


def test_other_teams_get_404_and_organisers_get_the_desk(client, live):
    training = training_start(team=_team(), user=_user("alice"))
    client.login(username="carol", password=PASSWORD)
    assert client.get(f"/trainings/{training.pk}/").status_code == 404
    assert client.post(f"/trainings/{training.pk}/cancel/").status_code == 404
    assert client.get("/events/space-odyssey/training/desk/").status_code == 404
    client.login(username="organiser", password=PASSWORD)
    desk = client.get("/events/space-odyssey/training/desk/")
    assert desk.status_code == 200 and training.name.encode() in desk.content
    response = client.post(f"/trainings/{training.pk}/cancel/", {"back": "desk"})
    assert response.url == "/events/space-odyssey/training/desk/"
    training.refresh_from_db()
    assert training.status == "cancelled"


# API --------------------------------------------------------------------------------------------


def _token(client, username: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = client.post("/api/auth/token/", {"username": username, "password": PASSWORD}).json()
    return {"HTTP_AUTHORIZATION": f"Token {token['token']}"}


def test_api_start_status_cancel_and_models(client, melody):
    alice = _token(client, "alice")
    response = client.post(
        "/api/events/space-odyssey/trainings/",
        {"steps": 200, "size": "tiny"},
        content_type="application/json",
        **alice,
    )
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    again = client.post(
        "/api/events/space-odyssey/trainings/", {}, content_type="application/json", **alice
    )
    assert again.status_code == 429
    bad = client.post(
        "/api/events/space-odyssey/trainings/",
        {"learning_rate": 1},
        content_type="application/json",
        **alice,
    )
    assert bad.status_code == 400 and "learning_rate" in bad.json()
    status = client.get(f"/api/trainings/{pk}/", **alice).json()
    assert status["status"] == "queued" and status["model"] == f"team:{pk}"
    carol = _token(client, "carol")
    assert client.get(f"/api/trainings/{pk}/", **carol).status_code == 404
    assert client.post(f"/api/trainings/{pk}/cancel/", **carol).status_code == 404
    cancelled = client.post(f"/api/trainings/{pk}/cancel/", **alice)
    assert cancelled.status_code == 202 and cancelled.json()["status"] == "cancelled"
    listed = client.get("/api/events/space-odyssey/trainings/", **alice).json()
    assert [t["id"] for t in listed] == [pk]

    ready = _finished(training_start(team=_team(), user=_user("alice")))
    models = client.get("/api/events/space-odyssey/models/", **alice).json()
    assert [m["model"] for m in models] == [ready.model_key]
    assert client.get("/api/events/space-odyssey/models/", **carol).json() == []
    composed = client.post(
        f"/api/melodies/{melody.pk}/compositions/",
        {"model": ready.model_key, "seconds": 10},
        content_type="application/json",
        **alice,
    )
    assert composed.status_code == 202, composed.content
    detail = client.get(f"/api/compositions/{composed.json()['id']}/", **alice).json()
    assert detail["model"] == "team" and detail["team_model"] == ready.pk


def test_the_schema_documents_training(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/events/{slug}/trainings/",
        "/api/trainings/{id}/",
        "/api/trainings/{id}/cancel/",
        "/api/events/{slug}/models/",
    ):
        assert path in schema


def test_the_model_card_and_who_made_an_entry_after_results(client, live, melody):
    training = _finished(training_start(team=_team(), user=_user("alice")))
    TrainingRun.objects.filter(pk=training.pk).update(
        step=200,
        seconds=95.0,
        device="CPU, 2 threads",
        metrics=[{"step": 200, "seconds": 95.0, "in_scale_rate": 0.93}],
        reference={"in_scale_rate": 0.96},
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/trainings/{training.pk}/").content.decode()
    assert "Model card" in page and "0.930" in page and "0.960" in page
    assert "Cancel training" not in page
    composition = composition_create(melody=melody, user=_user("alice"), model=training.model_key)
    piece = client.get(f"/compositions/{composition.pk}/").content.decode()
    assert training.name in piece
    # After the results, the leaderboard says which model made each entry.
    finished = _finished_event(live)
    rockets = TeamFactory(event=finished, name="Well-Tempered Rockets", members=[_user("carol")])
    results_published(event=finished, teams=[_team(event=finished.slug), rockets])
    judge = JudgeAssignment.objects.get(event=finished).judge
    client.login(username=judge.username, password=PASSWORD)
    board = client.get("/events/bach-to-the-future/leaderboard/").content.decode()
    assert "made with" in board


def test_the_desk_splits_each_teams_training_time_by_gpu_and_cpu(client, live):
    from arena.training.selectors import training_usage

    team = _team()
    training_policy_set(
        event=team.event,
        user=_user("organiser"),
        minutes_per_job=10,
        max_concurrent_per_team=3,
        max_total_per_team=5,
    )
    for device, seconds in (("NVIDIA H100 80GB HBM3", 120.0), ("CPU, 2 threads", 45.0), ("", 0)):
        run = training_start(team=team, user=_user("alice"))
        TrainingRun.objects.filter(pk=run.pk).update(device=device, seconds=seconds)
    usage = {u.team.name: u for u in training_usage(event=team.event)}
    fugue, rockets = usage["Fugue State"], usage["Well-Tempered Rockets"]
    assert (fugue.runs, fugue.seconds, fugue.gpu_seconds, fugue.cpu_seconds) == (3, 165, 120, 45)
    assert (rockets.runs, rockets.gpu_seconds, rockets.cpu_seconds) == (0, 0, 0)
    client.login(username="organiser", password=PASSWORD)
    desk = client.get("/events/space-odyssey/training/desk/").content.decode()
    assert "<th>GPU</th><th>CPU</th>" in desk and "<td>120 s</td><td>45 s</td>" in desk
