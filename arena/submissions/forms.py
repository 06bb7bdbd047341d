"""Forms of the team pages; the services check the same rules again for the API."""

from __future__ import annotations

from django import forms

from arena.submissions.editor_melody import DEFAULT_TEMPO, EDITOR_METERS, TEMPO_RANGE
from arena.submissions.models import ComposerModel, Style
from arena.submissions.services import MAX_SEED, RISK_RANGE, SECONDS_RANGE, upload_size_error
from composer.data.samples import sample_melodies


class TeamCreateForm(forms.Form):
    name = forms.CharField(max_length=80, label="Team name")


class TeamJoinForm(forms.Form):
    invite_code = forms.CharField(max_length=12, label="Invite code")


class MelodyUploadForm(forms.Form):
    file = forms.FileField(
        label="MIDI file",
        widget=forms.ClearableFileInput(attrs={"accept": ".mid,.midi,audio/midi"}),
    )
    title = forms.CharField(max_length=120, required=False, label="Title (optional)")

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if error := upload_size_error(upload.size):  # refused before its bytes are read
            raise forms.ValidationError(error)
        return upload


class MelodySampleForm(forms.Form):
    sample = forms.ChoiceField(label="Sample melody", choices=())

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["sample"].choices = [(s.slug, s.title) for s in sample_melodies()]


class CompositionForm(forms.Form):
    model = forms.ChoiceField(choices=(), initial=ComposerModel.HYBRID)  # the best measured
    style = forms.ChoiceField(choices=Style.choices, initial=Style.BAROQUE)
    risk = forms.FloatField(
        label="Creative risk",
        min_value=RISK_RANGE[0],
        max_value=RISK_RANGE[1],
        initial=1.0,
        help_text="Low keeps close to the chorale style; high takes more surprising turns.",
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    seconds = forms.IntegerField(
        label="Length in seconds",
        min_value=SECONDS_RANGE[0],
        max_value=SECONDS_RANGE[1],
        initial=60,
        help_text="A short melody is played again, harmonized afresh, to reach about this length.",
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=MAX_SEED,
        initial=0,
        help_text="Same seed and settings, same piece; change it for another take.",
    )

    def __init__(self, *args, team_models=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        """`team_models`: the team's finished models, offered beside the shipped ones."""
        super().__init__(*args, **kwargs)
        shipped = ComposerModel.composable()
        own = [(m.model_key, f"Our model: {m.name}") for m in team_models]
        self.fields["model"].choices = shipped + own


class MelodyEditorForm(forms.Form):
    """The editor's melody: its notes travel as JSON in a hidden field, so a refused melody comes
    back to the page with its notes and the editor shows them again."""

    title = forms.CharField(
        max_length=120,
        required=False,
        label="Name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Moonrise"}),
    )
    meter = forms.ChoiceField(choices=[(m, m) for m in EDITOR_METERS], initial="4/4")
    tempo = forms.IntegerField(
        label="Tempo (BPM)",
        min_value=TEMPO_RANGE[0],
        max_value=TEMPO_RANGE[1],
        initial=DEFAULT_TEMPO,
    )
    notes = forms.JSONField(
        required=False,  # an empty melody is refused by the service with its own message
        widget=forms.HiddenInput,
        error_messages={"invalid": "The notes could not be read; reload the page and try again."},
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("auto_id", "editor-%s")  # the upload form on the same page has a title
        super().__init__(*args, **kwargs)
