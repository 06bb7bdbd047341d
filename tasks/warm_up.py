"""A worker process gets ready to compose as soon as it starts, not on its first piece.

Right after the pool process starts (Celery's worker_process_init) a thread imports composer and
the deployment's harmonizer modules, connects to the media storage, loads the shipped models on
the worker's device (composer's one model cache keeps them for every later piece) and composes
and renders one short piece into a temporary folder (FluidSynth, the encoders, the roll and the
score run once), so that the first team's piece costs what the next ones do. A job that arrives
meanwhile waits for it (`worker_ready_wait`): nothing is loaded twice. ARENA_WORKER_WARM_UP=0
skips it.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time

from celery.signals import worker_process_init
from django.conf import settings
from django.core.files.storage import default_storage

log = logging.getLogger(__name__)
_ready = threading.Event()
_started = threading.Event()


def worker_warm_up() -> float:
    """Load what composing needs and compose a short piece; the seconds it took."""
    began = time.perf_counter()
    try:
        from composer.data.samples import sample_melodies
        from composer.midi.melody import extract_melody
        from composer.models.device import best_device
        from composer.render.piece import compose_piece
        from tasks.compose import _import_harmonizer_modules

        _import_harmonizer_modules()
        # The storage's client (an S3 connection where the media live in a bucket) is made now,
        # not when the first melody is read.
        default_storage.exists("warm-up")
        device = best_device()
        melody = extract_melody(sample_melodies()[0].path).score
        with tempfile.TemporaryDirectory(prefix="warm-up-") as folder:
            compose_piece(melody, folder, seconds=10, device=device)
    except Exception:  # a worker that cannot warm up still takes jobs, and says why then
        log.exception("worker warm-up failed")
    finally:
        _ready.set()
    seconds = time.perf_counter() - began
    log.info("worker ready to compose in %.1f s", seconds)
    return seconds


def worker_ready_wait(timeout: float = 300.0) -> None:
    """Wait for this process's warm-up, when one is under way."""
    if _started.is_set():
        _ready.wait(timeout)


@worker_process_init.connect
def _warm_up_in_background(**_: object) -> None:
    if not settings.ARENA_WORKER_WARM_UP:
        return
    _started.set()
    threading.Thread(target=worker_warm_up, name="warm-up", daemon=True).start()
