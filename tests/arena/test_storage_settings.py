"""ARENA_STORAGE picks where media live: local folders by default, an S3-compatible bucket with
`s3` (read with django-environ from the AWS_* variables), and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "from django.conf import settings as s; print(json.dumps(s.STORAGES['default']))"


def _media_storage(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARENA_STORAGE"))}
    return subprocess.run(
        [sys.executable, "-c", f"import django, json; django.setup(); {PROBE}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "arena.settings.test", **env},
        capture_output=True,
        text=True,
    )


def test_media_stay_in_local_folders_by_default() -> None:
    done = _media_storage()
    assert json.loads(done.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_reads_the_bucket_and_the_store_from_the_environment() -> None:
    done = _media_storage(
        ARENA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="team-pieces",
        AWS_S3_ENDPOINT_URL="http://store.internal:9000",
        AWS_ACCESS_KEY_ID="id",
        AWS_SECRET_ACCESS_KEY="not-a-secret",
    )
    storage = json.loads(done.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "team-pieces"
    assert options["endpoint_url"] == "http://store.internal:9000"
    assert options["access_key"] == "id" and options["default_acl"] is None
    assert options["region_name"] is None  # boto3's own default


def test_an_unknown_storage_is_refused_with_its_name() -> None:
    done = _media_storage(ARENA_STORAGE="ftp")
    assert done.returncode != 0 and "ARENA_STORAGE is 'local' or 's3', not 'ftp'" in done.stderr
