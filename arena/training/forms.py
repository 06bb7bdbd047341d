"""Forms of the training pages; the services check the same bounds again for the API."""

from __future__ import annotations

from django import forms

from arena.training.recipes import BOUNDS, DEFAULTS, SIZE_CHOICES


def _number(name: str, *, integer: bool, step: str = "any") -> forms.Field:
    bound = BOUNDS[name]
    field = forms.IntegerField if integer else forms.FloatField
    return field(
        label=bound.label,
        min_value=bound.low,
        max_value=bound.high,
        initial=DEFAULTS[name],
        help_text=bound.help,
        widget=forms.NumberInput(attrs={"step": step}),
    )


class TrainingForm(forms.Form):
    """Starts from the shipped CPU recipe: change what matters, within sensible bounds."""

    name = forms.CharField(max_length=60, required=False, label="Name (optional)")
    size = forms.ChoiceField(label="Model size", choices=SIZE_CHOICES, initial=DEFAULTS["size"])
    steps = _number("steps", integer=True, step="10")
    # "any": a step of 0.0001 from the minimum 1e-05 would make the browser refuse 0.001.
    learning_rate = _number("learning_rate", integer=False)
    critic_steps = _number("critic_steps", integer=True)
    noise_channels = _number("noise_channels", integer=True)
    augment = forms.BooleanField(
        label="Augment by transposition",
        required=False,
        initial=DEFAULTS["augment"],
        help_text="Each chorale is also seen in other keys (±6 semitones).",
    )
    seed = _number("seed", integer=True)


class TrainingPolicyForm(forms.Form):
    minutes_per_job = forms.IntegerField(label="Minutes per training", min_value=1, max_value=1440)
    max_concurrent_per_team = forms.IntegerField(label="Trainings at once per team", min_value=1)
    max_total_per_team = forms.IntegerField(label="Trainings in all per team", min_value=0)
