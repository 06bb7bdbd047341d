"""Resident memory of a web process and of a generation worker with the models loaded.

Targets (DESIGN §2): a web process under ~150 MB, a generation worker under ~1.5 GB.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.table import print_table

ROOT = Path(__file__).resolve().parents[1]

# Each probe runs in a fresh interpreter and prints its peak resident set in MB.
WEB = """
import os, resource
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.local")
from django.core.wsgi import get_wsgi_application
from django.test import Client
application = get_wsgi_application()
client = Client()
for path in ("/", "/events/space-odyssey/", "/api/events/", "/api/schema/"):
    client.get(path)
import sys
assert "torch" not in sys.modules, "the web process must not import torch"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

WORKER = """
import os, resource
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.local")
import django
django.setup()
import tasks.jobs  # the Celery app and its handlers, as a worker imports them
from composer.data.chorales import load_chorales
from composer.evaluation.evaluate import soprano_of
from composer.models.registry import get_harmonizer, harmonizers
chorale = load_chorales("valid")[0]
for name in ("gan", "arcnn", "hybrid"):
    try:
        get_harmonizer(name)(soprano_of(chorale))
    except Exception:
        pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, ",".join(sorted(harmonizers)))
"""

# A 2 MB upload packed with note-ons (about 700,000): refused by composer.midi.census before
# mido parses it (which took 3.5 s and 270 MB); prints the peak RSS and the seconds to refuse.
PACKED_UPLOAD = """
import resource, struct, time
from composer.errors import InputError
from composer.midi.melody import MAX_FILE_BYTES, extract_melody
notes = b"\\x01\\x3c\\x40" * (MAX_FILE_BYTES // 3 - 20)  # a tick apart, in running status
body = b"\\x00\\x90\\x3c\\x40" + notes + b"\\x00\\xff\\x2f\\x00"
data = b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(body)) + body
started = time.perf_counter()
try:
    extract_melody(data)
except InputError:
    pass
seconds = time.perf_counter() - started
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, f"{seconds:.2f}")
"""


def _probe(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def main() -> None:
    web_mb = float(_probe(WEB)[0])
    worker = _probe(WORKER)
    worker_mb, models = float(worker[0]), worker[1] if len(worker) > 1 else "none"
    packed_mb, packed_s = _probe(PACKED_UPLOAD)
    print_table(
        "Memory (peak resident set)",
        ["process", "peak RSS MB", "target MB", "models loaded"],
        [
            ["web (4 pages served)", web_mb, 150, "-"],
            ["generation worker", worker_mb, 1500, models],
            [f"2 MB of notes uploaded, refused in {packed_s} s", float(packed_mb), 150, "-"],
        ],
    )


if __name__ == "__main__":
    main()
