"""The compressed audio a piece's page plays (MP3 beside the lossless WAV that stays a download),
so a minute of music costs about 1 MB to listen to instead of 11 MB."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File

from arena.submissions.models import Composition


def composition_attach_compressed_audio(*, composition: Composition, path: Path | None) -> None:
    """Store (or replace, on a retry) the piece's compressed audio; None leaves it without."""
    if composition.audio_compressed:
        composition.audio_compressed.delete(save=False)
    if path is not None and path.exists():
        with path.open("rb") as handle:
            composition.audio_compressed.save(path.name, File(handle), save=False)
    composition.save(update_fields=["audio_compressed"])
