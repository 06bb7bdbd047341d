"""A training run's files in the shared storage (Django's storage API: the local media folder or
an S3 bucket), so that a run redelivered to a worker on another machine resumes where it stopped.

composer trains in a local folder it is given; the worker restores the run's stored files
(checkpoint, metrics) into a fresh one before it trains, and stores them again after every
validation, beside that validation's sample and, at the end, the model's weights.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from arena.training.models import training_folder_name

# What composer writes in the run's folder that the next attempt needs (`resume`) or shows.
RESUMED = ("ckpt.pt", "metrics.csv", "config.json", "metrics.png")


def stored_replace(*, name: str, path: Path) -> str:
    """Store the local file `path` under `name`, replacing what was stored there; the name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle, name=path.name))


def run_files_restore(*, training_id: int, folder: Path) -> list[str]:
    """Copy the run's stored checkpoint and metrics into the local `folder`; the names copied."""
    stored = training_folder_name(training_id)
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in RESUMED:
        key = f"{stored}/{name}"
        if not default_storage.exists(key):
            continue
        with default_storage.open(key, "rb") as source, (folder / name).open("wb") as target:
            for chunk in iter(lambda: source.read(2**20), b""):
                target.write(chunk)
        copied.append(name)
    return copied


def run_files_store(*, training_id: int, folder: Path) -> None:
    """Store the run's checkpoint and metrics from the local `folder` (after a validation)."""
    stored = training_folder_name(training_id)
    for name in RESUMED:
        if (folder / name).is_file():
            stored_replace(name=f"{stored}/{name}", path=folder / name)


def run_sample_store(*, training_id: int, step: int, path: Path) -> str:
    """Store a validation's sample (MIDI or audio); its stored name."""
    name = f"{training_folder_name(training_id)}/samples/{step}{path.suffix}"
    return stored_replace(name=name, path=path)


def run_weights_store(*, training_id: int, path: Path) -> str:
    """Store the trained model's weights; their stored name."""
    return stored_replace(name=f"{training_folder_name(training_id)}/{path.name}", path=path)
