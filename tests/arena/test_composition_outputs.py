"""A finished piece's files are stored together, and a retry replaces the failed attempt's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from arena.submissions.services import composition_attach_outputs
from tests.factories.submissions import CompositionFactory

FIELDS = ("midi", "roll", "audio", "sheet_music", "audio_compressed")


def _files(folder: Path, tag: str) -> dict[str, Path]:
    folder.mkdir()
    names = ("piece.mid", "roll.png", "piece.wav", "score.musicxml", "piece.mp3")
    paths = {field: folder / name for field, name in zip(FIELDS, names, strict=True)}
    for field, path in paths.items():
        path.write_bytes(f"{tag} {field}".encode())
    return paths


@pytest.mark.django_db
def test_every_file_is_stored_and_a_retry_replaces_them(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    composition = CompositionFactory()
    first = _files(tmp_path / "first", "first")
    composition_attach_outputs(composition_id=composition.pk, metrics={"a": 1.0}, **first)
    composition.refresh_from_db()
    stored = {field: getattr(composition, field).name for field in FIELDS}
    for field in FIELDS:
        with getattr(composition, field).open("rb") as handle:
            assert handle.read() == f"first {field}".encode()
    assert composition.metrics == {"a": 1.0}

    # The retry's audio could not be rendered: no WAV or MP3 this time.
    again = _files(tmp_path / "again", "again") | {"audio": None, "audio_compressed": None}
    composition_attach_outputs(composition_id=composition.pk, metrics={"a": 2.0}, **again)
    composition.refresh_from_db()
    assert not composition.audio and not composition.audio_compressed
    for field in ("midi", "roll", "sheet_music"):
        with getattr(composition, field).open("rb") as handle:
            assert handle.read() == f"again {field}".encode()
    assert not any(
        default_storage.exists(name)
        for field, name in stored.items()
        if name != getattr(composition, field).name
    )
