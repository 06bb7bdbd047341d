"""A web process reads one melody before it serves, so no upload waits for the melody reader.

Reading a melody's key loads music21's key finder: about 0.6 s on an idle core and 1.5-2 s on
the busy cores of a loaded site, paid by the first upload each web process took (the p95 of
uploads under `make load`). After it, an upload's analysis takes about 40 ms.
"""

from __future__ import annotations

import logging
import time

from composer.data.samples import sample_melodies
from composer.midi.melody import extract_melody

log = logging.getLogger(__name__)


def melody_reader_warm_up() -> float:
    """Read the first sample melody as an upload is read; the seconds it took."""
    began = time.perf_counter()
    sample = sample_melodies()[0]
    extract_melody(sample.path.read_bytes(), name=sample.slug)
    seconds = time.perf_counter() - began
    log.info("melody reader ready in %.2f s", seconds)
    return seconds
