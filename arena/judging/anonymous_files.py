"""Anonymised copies of an entry's files, for blind judging (DESIGN §7).

A team's files carry who made them: the melody's title drawn over the piano roll, the title of the
sheet music, track and text events in the MIDI file, tags in the audio. A judge gets copies from
which all of that is gone; the team keeps its originals.
"""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET

import mido
import numpy as np
import pretty_midi
from PIL import Image

# MIDI meta messages that carry free text (a title, a name, a copyright line, lyrics).
MIDI_TEXT_EVENTS = {
    "text",
    "copyright",
    "track_name",
    "instrument_name",
    "lyrics",
    "marker",
    "cue_marker",
    "device_name",
    "program_name",
}
# Track names that only say which voice a track plays; any other name is replaced.
VOICE_NAMES = {"Soprano", "Alto", "Tenor", "Bass", "Melody"}
# MusicXML elements that name a work, its people or its software.
MUSICXML_NAMING = ("work", "movement-title", "movement-number", "identification", "credit")
# RIFF chunks a WAV player needs; everything else (LIST/INFO tags, id3, bext, …) is dropped.
WAV_CHUNKS = {b"fmt ", b"data", b"fact"}
LABEL_DIP = 3  # rows of the plot's top that only text reaches: the highest note stays lower


def anonymous_midi(data: bytes) -> bytes:
    """The MIDI file without its text events; a track keeps of its name only the voice it plays
    ("Soprano"), with its General MIDI instrument where it named one ("Soprano - Violin I" becomes
    "Soprano - Violin"); any other track is named after its instrument ("Choir Aahs"), so a
    player can still label, solo and mute the voices."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    for track in midi.tracks:
        named = next((m.name for m in track if m.type == "track_name"), "")
        voice = named if named in VOICE_NAMES else ""
        of_voice = named.split(" - ", 1)[0] if " - " in named else ""
        kept = mido.MidiTrack()
        carried = 0  # delta times of dropped messages move onto the next kept one
        for message in track:
            if message.is_meta and message.type in MIDI_TEXT_EVENTS:
                carried += message.time
                continue
            kept.append(message.copy(time=message.time + carried))
            carried = 0
        instrument = _instrument_name(kept)
        if of_voice in VOICE_NAMES and instrument:
            name = f"{of_voice} - {instrument}"  # one voice of an instrument: "Bass - Cello"
        else:
            name = voice or instrument
        if name:
            kept.insert(0, mido.MetaMessage("track_name", name=name, time=0))
        track[:] = kept
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _instrument_name(track: mido.MidiTrack) -> str:
    for message in track:
        if message.type == "program_change":
            if message.channel == 9:
                return "Drums"
            return pretty_midi.program_to_instrument_name(message.program)
        if message.type == "note_on" and message.channel == 9:
            return "Drums"
    return ""


def anonymous_musicxml(data: bytes) -> bytes:
    """The sheet music without its title, credits, creators and rights."""
    root = ET.fromstring(data)  # our own files, written by music21: no entities to expand
    for tag in MUSICXML_NAMING:
        for element in root.findall(tag):
            root.remove(element)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def anonymous_wav(data: bytes) -> bytes:
    """The WAV file with only its format and samples: no tag chunks. ValueError for non-WAV."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    chunks = []
    at = 12
    while at + 8 <= len(data):
        kind, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        body = data[at + 8 : at + 8 + size]
        if kind in WAV_CHUNKS:
            chunks.append(kind + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2))
        at += 8 + size + size % 2  # chunks are padded to an even length
    payload = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def anonymous_mp3(data: bytes) -> bytes:
    """The MP3 file without its ID3 tags (title, artist, …): ID3v2 in front, ID3v1 at the end."""
    while data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # "syncsafe": 7 bits a byte
            size = (size << 7) | (byte & 0x7F)
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def anonymous_roll(data: bytes) -> bytes:
    """The piano roll with the band above the plot blanked, except its legend: composer draws
    the melody's title there (and the section names, which go with it). No text chunks."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    pixels = np.asarray(image).copy()
    top = _plot_top(pixels)
    if top > 0:
        band = pixels[:top]
        legend = _legend_left(band)
        if legend is None or _ink(band[:, max(0, legend - 12) : legend]):
            band[:] = 255  # a title running into the legend: blank the whole band
        else:
            band[:, : max(0, legend - 12)] = 255
        # The section names' last rows dip into the plot; its vertical lines go on below them.
        edge = pixels[top : top + LABEL_DIP]
        lines = pixels[top + LABEL_DIP].astype(int).sum(axis=1) < 700
        edge[:, ~lines] = 255
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")  # written afresh: no tEXt chunks
    return out.getvalue()


def _ink(area: np.ndarray) -> bool:
    return bool((area.astype(int).sum(axis=2) < 600).any())


def _plot_top(pixels: np.ndarray) -> int:
    """The first row of the plot: the top of the left axis line, the column of the left quarter
    of the picture with the most dark pixels (0 when there is no such line)."""
    dark = pixels[:, : max(1, pixels.shape[1] // 4)].astype(int).sum(axis=2) < 300
    column = dark[:, int(dark.sum(axis=0).argmax())]
    if column.sum() < pixels.shape[0] // 3:
        return 0
    # The line's longest unbroken run; its first row is the top of the plot.
    edges = np.diff(np.concatenate(([0], column.astype(int), [0])))
    starts, ends = np.where(edges == 1)[0], np.where(edges == -1)[0]
    longest = int((ends - starts).argmax())
    return int(starts[longest])


def _legend_left(band: np.ndarray) -> int | None:
    """The leftmost column of the legend: its colour patches are the only saturated pixels."""
    rgb = band.astype(int)
    saturated = (rgb.max(axis=2) - rgb.min(axis=2)) > 80
    columns = np.where(saturated.any(axis=0))[0]
    return int(columns.min()) if len(columns) else None
