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
from composer.chorales import load_chorales
from composer.evaluate import get_harmonizer, harmonizers, soprano_of
chorale = load_chorales("valid")[0]
for name in ("gan", "arcnn", "hybrid"):
    try:
        get_harmonizer(name)(soprano_of(chorale))
    except Exception:
        pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, ",".join(sorted(harmonizers)))
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
    print_table(
        "Memory (peak resident set)",
        ["process", "peak RSS MB", "target MB", "models loaded"],
        [
            ["web (4 pages served)", web_mb, 150, "-"],
            ["generation worker", worker_mb, 1500, models],
        ],
    )


if __name__ == "__main__":
    main()
