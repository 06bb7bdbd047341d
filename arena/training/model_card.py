"""The model card's table: a trained model's final validation metrics beside Bach's, by name
people read ("Notes in the key", not `in_scale_rate`), whole-piece figures first, then per voice."""

from __future__ import annotations

from dataclasses import dataclass

from arena.training.models import TrainingRun
from arena.training.recipes import BOUNDS, SIZE_CHOICES

VOICES = ("soprano", "alto", "tenor", "bass")
# composer.metrics' names -> what the card says; an unknown name is shown with spaces.
METRIC_LABELS = {
    "in_scale_rate": "Notes in the key",
    "parallel_5ths_8ves_per_bar": "Parallel fifths and octaves per bar",
    "voice_crossings_per_bar": "Voice crossings per bar",
    "out_of_range_rate": "Notes out of the voice's range",
    "empty_bar_rate": "Empty bars",
    "pitch_classes_per_bar": "Different notes per bar",
    "polyphony": "Voices sounding together",
    "qualified_note_rate": "Notes an eighth or longer",
    "tonal_distance_melody": "Tonal distance from the melody",
    "tonal_distance": "Tonal distance",
    "frame_accuracy": "Steps equal to Bach's",
    "notewise_nll": "Note-wise negative log-likelihood",
}
NOT_METRICS = {"step", "seconds"}


@dataclass(frozen=True)
class CardRow:
    label: str
    value: float | None
    bach: float | None


def metric_label(name: str) -> str:
    for voice in VOICES:
        if name.endswith(f"_{voice}"):
            return f"{metric_label(name.removesuffix(f'_{voice}'))} — {voice}"
    return METRIC_LABELS.get(name, name.replace("_", " ").capitalize())


def model_card_rows(*, training: TrainingRun) -> tuple[list[CardRow], list[CardRow]]:
    """(whole-piece rows, per-voice rows) of the final validation metrics."""
    final = training.final_metrics
    reference = training.reference or {}
    whole, voices = [], []
    for name, value in final.items():
        if name in NOT_METRICS:
            continue
        row = CardRow(metric_label(name), value, reference.get(name))
        (voices if any(name.endswith(f"_{v}") for v in VOICES) else whole).append(row)
    return whole, voices


def model_card_settings(*, training: TrainingRun) -> list[tuple[str, str]]:
    """The settings the team chose, by the names of the training form."""
    sizes = {value: label.split(" — ")[0] for value, label in SIZE_CHOICES}
    named = {"size": "Model size", "augment": "Augment by transposition"}
    rows = []
    for name, value in training.config.items():
        label = BOUNDS[name].label if name in BOUNDS else named.get(name, metric_label(name))
        if name == "size":
            value = sizes.get(value, value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        rows.append((label, f"{value:g}" if isinstance(value, float) else str(value)))
    return rows
